import {
  loadPlatformConfig,
  PlatformConfigError,
  stageContext,
} from '@glue-platform/shared-constructs/src/config-loader';
import {
  assetsBucketName,
  DEFAULT_JOB_ID,
  fileLedgerTableName,
  glueDatabaseName,
  glueJobName,
  inputBucketName,
  type NameContext,
  operatorRoleName,
  outputBucketName,
  triggerDeadLetterQueueName,
  triggerQueueName,
} from '@glue-platform/shared-constructs/src/naming';

import { UsageError } from './errors';

/** Every resource of one stage the CLI touches, by the physical names the infrastructure gives them. */
export interface Stage {
  readonly ctx: NameContext;
  readonly inputBucket: string;
  readonly outputBucket: string;
  readonly assetsBucket: string;
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly ledgerTable: string;
  /** The config's `fileLedger.retentionDays`: what the trigger and the job give an item, so a claim here does too. */
  readonly ledgerRetentionDays: number;
  readonly jobName: string;
  readonly database: string;
  readonly operatorRoleArn: string;
}

/** The stage from `--stage` (or `GLUE_PLATFORM_STAGE`) in the config from `--config` (or `PLATFORM_CONFIG`). */
export function resolveStage(
  stageName: string | undefined,
  configPath: string | undefined,
  env: NodeJS.ProcessEnv,
): Stage {
  let config;
  try {
    config = loadPlatformConfig({ contextPath: configPath, env });
  } catch (error) {
    if (error instanceof PlatformConfigError) throw new UsageError(error.message);
    throw error;
  }
  const name = stageName ?? env.GLUE_PLATFORM_STAGE;
  const stages = config.stages.map((s) => s.name).join(', ');
  if (!name) {
    throw new UsageError(`Which stage? Pass --stage NAME (or set GLUE_PLATFORM_STAGE); stages: ${stages}`);
  }
  let ctx: NameContext;
  try {
    ctx = stageContext(config, name);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    ctx,
    inputBucket: inputBucketName(ctx),
    outputBucket: outputBucketName(ctx),
    assetsBucket: assetsBucketName(ctx),
    queue: triggerQueueName(ctx),
    deadLetterQueue: triggerDeadLetterQueueName(ctx),
    ledgerTable: fileLedgerTableName(ctx),
    ledgerRetentionDays: config.fileLedger.retentionDays,
    jobName: glueJobName(ctx, DEFAULT_JOB_ID),
    database: glueDatabaseName(ctx),
    operatorRoleArn: `arn:aws:iam::${ctx.account}:role/${operatorRoleName(ctx)}`,
  };
}
