import * as path from 'node:path';

import {
  assetsBucketName,
  DEFAULT_JOB_ID,
  glueJobName,
  inputBucketName,
  PIPELINE_STEPS,
  PlatformConfig,
  S3_PREFIXES,
  SMOKE_TEST_DATASET,
  datasetTableName,
  smokeTestRoleName,
  stageContext,
  StageConfig,
} from '@glue-platform/shared-constructs';
import { embeddedScriptCommands } from '@glue-platform/shared-constructs/src/pipeline/steps/embedded-script';
import { Duration } from 'aws-cdk-lib';

import { StageRoleStep } from '../stage-role';
import { DEFAULT_SMOKE_WAIT_SECONDS, STEP_ENV } from '../step-env';

export interface SmokeTestStepProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /** The stage just deployed. */
  readonly stage: StageConfig;
  /**
   * Seconds to wait for the Glue run the upload triggers; the step's own timeout allows 20 minutes more.
   * @default DEFAULT_SMOKE_WAIT_SECONDS (40 minutes): Flex runs may wait for capacity
   */
  readonly waitSeconds?: number;
}

/** Room beyond the script's wait for the upload, the checks and CodeBuild's own start. */
const STEP_TIMEOUT_MARGIN_MINUTES = 20;

/**
 * After a stage deploys: uploads a small CSV to `incoming/smoke_test/` as the stage's smoke-test role, waits
 * (bounded) for the run of the main job that the trigger starts, then checks the run report: the file's rows
 * committed in an Iceberg snapshot of the table. Bucket and job names come from the naming module, the same
 * functions the stacks use. The script it runs is `run-smoke-test.ts` beside this file; the stage role exists
 * only in stages with `smokeTest: true`, so the pipeline adds this step only there.
 */
export class SmokeTestStep extends StageRoleStep {
  constructor(id: string, props: SmokeTestStepProps) {
    const ctx = stageContext(props.config, props.stage.name);
    const jobName = glueJobName(ctx, DEFAULT_JOB_ID);
    const table = datasetTableName(SMOKE_TEST_DATASET);
    const waitSeconds = props.waitSeconds ?? DEFAULT_SMOKE_WAIT_SECONDS;
    if (!Number.isInteger(waitSeconds) || waitSeconds <= 0) {
      throw new Error(`SmokeTestStep ${id}: waitSeconds is ${waitSeconds}; expected a positive whole number`);
    }
    if (!props.stage.smokeTest) {
      throw new Error(
        `SmokeTestStep ${id}: stage ${ctx.stage} has smokeTest: false, so it has no smoke-test role to assume; ` +
          'set smokeTest: true in the config to smoke-test it',
      );
    }
    super(id, {
      ctx,
      step: PIPELINE_STEPS.smokeTest,
      stageRoleName: smokeTestRoleName(ctx),
      commands: embeddedScriptCommands(path.join(__dirname, 'run-smoke-test.ts'), 'run-smoke-test.js'),
      env: {
        [STEP_ENV.inputBucket]: inputBucketName(ctx),
        [STEP_ENV.assetsBucket]: assetsBucketName(ctx),
        [STEP_ENV.glueJobName]: jobName,
        [STEP_ENV.uploadPrefix]: `${S3_PREFIXES.incoming}${SMOKE_TEST_DATASET}/`,
        [STEP_ENV.manifestPrefix]: `${S3_PREFIXES.manifests}${table}/`,
        [STEP_ENV.reportPrefix]: `${S3_PREFIXES.reports}${jobName}/`,
        [STEP_ENV.waitSeconds]: String(waitSeconds),
      },
      timeout: Duration.minutes(Math.ceil(waitSeconds / 60) + STEP_TIMEOUT_MARGIN_MINUTES),
    });
  }
}
