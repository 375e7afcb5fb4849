import { isRecord } from '../aws-cli';

/**
 * Environment variables the change-set summary step sets and its script reads. One list, so the construct and
 * the script cannot disagree on a name.
 */
export const SUMMARY_ENV = {
  stageName: 'SUMMARY_STAGE_NAME',
  /** JSON array of SummaryTarget: which change set of which stack, and the role that may read it. */
  targets: 'SUMMARY_TARGETS',
  bucket: 'SUMMARY_BUCKET',
  /** Object key of the HTML summary; holds the pipeline execution id, so each execution has its own. */
  objectKey: 'SUMMARY_OBJECT_KEY',
  /** Region of the summary bucket (the pipeline's). */
  bucketRegion: 'SUMMARY_BUCKET_REGION',
  commitId: 'SUMMARY_COMMIT_ID',
  commitMessage: 'SUMMARY_COMMIT_MESSAGE',
  executionId: 'SUMMARY_EXECUTION_ID',
} as const;

/** One stack of the stage whose change set the step summarizes. */
export interface SummaryTarget {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly account: string;
  readonly region: string;
  /** A read-only role in the stack's account that may describe the change set. */
  readonly roleArn: string;
}

const TARGET_FIELDS = ['stackName', 'changeSetName', 'account', 'region', 'roleArn'] as const;

/** The targets from their environment variable; a malformed value names what is wrong. */
export function parseTargets(raw: string): SummaryTarget[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${SUMMARY_ENV.targets} is not JSON: ${raw.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new Error(
      `${SUMMARY_ENV.targets} must be a non-empty JSON array of stacks; got ${raw.slice(0, 200)}`,
    );
  }
  return parsed.map((item, index) => {
    if (!isRecord(item)) throw new Error(`${SUMMARY_ENV.targets}[${index}] is not an object`);
    for (const field of TARGET_FIELDS) {
      if (typeof item[field] !== 'string' || item[field] === '') {
        throw new Error(`${SUMMARY_ENV.targets}[${index}].${field} must be a non-empty string`);
      }
    }
    return Object.fromEntries(TARGET_FIELDS.map((f) => [f, item[f]])) as unknown as SummaryTarget;
  });
}

/** Value of a variable the step always sets; its absence means the step was built wrong. */
export function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is not set; the change-set summary step sets it`);
  }
  return value;
}
