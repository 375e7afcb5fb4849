import {
  assetsBucketName,
  DEFAULT_JOB_ID,
  glueJobName,
  inputBucketName,
  PlatformConfig,
  S3_PREFIXES,
  SMOKE_TEST_DATASET,
  datasetTableName,
  stageContext,
  StageConfig,
} from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';

import { DEFAULT_SMOKE_WAIT_SECONDS, STEP_ENV } from '../scripts/step-env';

import { embeddedScriptCommands } from './private/embedded-script';
import { stageRoleStepProps } from './stage-role';

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
 * functions the stacks use.
 */
export class SmokeTestStep extends CodeBuildStep {
  constructor(id: string, props: SmokeTestStepProps) {
    const ctx = stageContext(props.config, props.stage.name);
    const asStageRole = stageRoleStepProps(ctx);
    const jobName = glueJobName(ctx, DEFAULT_JOB_ID);
    const table = datasetTableName(SMOKE_TEST_DATASET);
    const waitSeconds = props.waitSeconds ?? DEFAULT_SMOKE_WAIT_SECONDS;
    if (!Number.isInteger(waitSeconds) || waitSeconds <= 0) {
      throw new Error(`SmokeTestStep ${id}: waitSeconds is ${waitSeconds}; expected a positive whole number`);
    }
    super(id, {
      commands: embeddedScriptCommands('run-smoke-test'),
      env: {
        ...asStageRole.env,
        [STEP_ENV.inputBucket]: inputBucketName(ctx),
        [STEP_ENV.assetsBucket]: assetsBucketName(ctx),
        [STEP_ENV.glueJobName]: jobName,
        [STEP_ENV.uploadPrefix]: `${S3_PREFIXES.incoming}${SMOKE_TEST_DATASET}/`,
        [STEP_ENV.manifestPrefix]: `${S3_PREFIXES.manifests}${table}/`,
        [STEP_ENV.reportPrefix]: `${S3_PREFIXES.reports}${jobName}/`,
        [STEP_ENV.waitSeconds]: String(waitSeconds),
      },
      rolePolicyStatements: asStageRole.rolePolicyStatements,
      timeout: Duration.minutes(Math.ceil(waitSeconds / 60) + STEP_TIMEOUT_MARGIN_MINUTES),
    });
  }
}
