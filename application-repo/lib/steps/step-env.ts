/**
 * Environment variables the pipeline steps set (the step constructs under lib/steps/) and the step scripts read.
 * One list, so the two sides cannot disagree on a name.
 */
export const STEP_ENV = {
  stageName: 'STAGE_NAME',
  stageAccount: 'STAGE_ACCOUNT',
  stageRegion: 'STAGE_REGION',
  /** The stage role the step assumes from the pipeline account (export-check or smoke-test). */
  stageRoleArn: 'STAGE_ROLE_ARN',
  /** Comma-separated export names the application stack of the stage imports. */
  expectedExports: 'EXPECTED_EXPORTS',
  /** The stack to deploy first when exports are missing. */
  infrastructureStack: 'INFRASTRUCTURE_STACK',
  inputBucket: 'INPUT_BUCKET',
  assetsBucket: 'ASSETS_BUCKET',
  glueJobName: 'GLUE_JOB_NAME',
  /** Key prefix of the smoke-test upload, such as `incoming/smoke_test/`. */
  uploadPrefix: 'UPLOAD_PREFIX',
  /** Key prefix, in the assets bucket, of the manifests the trigger writes for the smoke-test dataset. */
  manifestPrefix: 'MANIFEST_PREFIX',
  /** Key prefix of the job's run reports in the assets bucket. */
  reportPrefix: 'REPORT_PREFIX',
  /** How long to wait for the Glue run, in seconds. */
  waitSeconds: 'WAIT_SECONDS',
  pollSeconds: 'POLL_SECONDS',
} as const;

/** Flex runs may wait for capacity and the trigger batches events for minutes: allow well beyond a normal run. */
export const DEFAULT_SMOKE_WAIT_SECONDS = 40 * 60;

/** Reads a variable the pipeline step must set; a missing one is a bug in the step, said plainly. */
export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `Environment variable ${name} is not set; the pipeline step that runs this script must set it`,
    );
  }
  return value.trim();
}

/** A positive whole number of seconds from the environment, or the fallback when unset. */
export function secondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Environment variable ${name} is "${raw}"; expected a positive whole number of seconds`);
  }
  return value;
}
