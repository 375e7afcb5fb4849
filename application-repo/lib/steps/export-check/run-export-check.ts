import {
  assumeRole,
  AwsCli,
  commandError,
  parseCliJsonOrEmpty,
  runAwsCli,
} from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

import { requireEnv, STEP_ENV } from '../step-env';

import {
  allExportsPresentMessage,
  ExportCheckTarget,
  exportedNames,
  missingExports,
  missingExportsMessage,
  parseExpectedExports,
} from './export-check';

export interface ExportCheckDeps {
  readonly aws: AwsCli;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
}

/**
 * Pipeline step before an application stage deploys: do the infrastructure exports the stage imports exist
 * in its account and region? Returns false (after saying what to do) when they do not.
 */
export function runExportCheck({ aws, env, log }: ExportCheckDeps): boolean {
  const target: ExportCheckTarget = {
    stageName: requireEnv(env, STEP_ENV.stageName),
    account: requireEnv(env, STEP_ENV.stageAccount),
    region: requireEnv(env, STEP_ENV.stageRegion),
    infrastructureStack: requireEnv(env, STEP_ENV.infrastructureStack),
  };
  const roleArn = requireEnv(env, STEP_ENV.stageRoleArn);
  const expected = parseExpectedExports(requireEnv(env, STEP_ENV.expectedExports));

  let stageEnv: NodeJS.ProcessEnv;
  try {
    stageEnv = assumeRole(aws, roleArn, `export-check-${target.stageName}`, env);
  } catch (error) {
    log(
      `Cannot assume ${roleArn}: ${commandError(error)}\n` +
        `The infrastructure stack ${target.infrastructureStack} creates this role: deploy it to account ` +
        `${target.account} in ${target.region} first (run the infrastructure pipeline), then retry this stage.`,
    );
    return false;
  }
  const output = aws(['cloudformation', 'list-exports', '--region', target.region], stageEnv);
  const missing = missingExports(
    expected,
    exportedNames(parseCliJsonOrEmpty(output, 'cloudformation list-exports')),
  );
  log(
    missing.length === 0
      ? allExportsPresentMessage(target, expected)
      : missingExportsMessage(target, missing),
  );
  return missing.length === 0;
}

/** Entry point of the bundled script the pipeline step runs. */
export function main(): void {
  process.exitCode = runExportCheck({ aws: runAwsCli, env: process.env, log: (line) => console.log(line) })
    ? 0
    : 1;
}
