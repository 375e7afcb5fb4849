import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { fileMetricsNamespace } from '@glue-platform/shared-constructs/contracts';

import { DATASET_REGISTRY, datasetsArgument } from '../../application-repo/lib/dataset-registry';
import { startEmulatedStage, type EmulatedStage } from '../../operator-cli/test/support/emulated-stage';

import { deliverBatch, resend, type Delivery } from './event-source-mapping';
import { GlueRunner, type RunOutcome } from './glue-runs';

/** platform.config.json's `fileLedger.retentionDays`, which both the trigger and the job receive. */
const LEDGER_RETENTION_DAYS = '400';

/**
 * The trigger's environment as the infrastructure stack sets it (infrastructure-repo/lib/upload-trigger.ts),
 * plus what a Lambda runtime provides: the region, and the emulator as the SDK's endpoint (`AWS_ENDPOINT_URL`,
 * which the SDK reads like any deployment setting). Logs above warnings and the EMF metric documents are kept
 * quiet: they are the trigger's CloudWatch output, not the driver's.
 */
function triggerEnvironment(emu: EmulatedStage): Record<string, string> {
  const { ctx } = emu.stage;
  return {
    AWS_REGION: ctx.region,
    AWS_ENDPOINT_URL: emu.server.endpoint,
    ASSETS_BUCKET_NAME: emu.stage.assetsBucket,
    GLUE_JOB_NAME: emu.stage.jobName,
    LEDGER_TABLE_NAME: emu.stage.ledgerTable,
    LEDGER_RETENTION_DAYS,
    FILE_METRICS_NAMESPACE: fileMetricsNamespace(ctx.project, ctx.stage),
    POWERTOOLS_SERVICE_NAME: 'upload-trigger',
    POWERTOOLS_METRICS_NAMESPACE: `${ctx.project}/${ctx.stage}/trigger`,
    POWERTOOLS_LOG_LEVEL: process.env.LOCAL_PLATFORM_TRIGGER_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** The file_processor job's default arguments as the application stack sets them (application-stack.ts). */
function jobDefaultArguments(stage: EmulatedStage['stage']): Record<string, string> {
  return {
    '--output_bucket': stage.outputBucket,
    '--assets_bucket': stage.assetsBucket,
    '--glue_database': stage.database,
    '--datasets': datasetsArgument(DATASET_REGISTRY),
    '--ledger_table': stage.ledgerTable,
    '--ledger_retention_days': LEDGER_RETENTION_DAYS,
    '--file_metrics_namespace': fileMetricsNamespace(stage.ctx.project, stage.ctx.stage),
  };
}

export interface LocalPlatform {
  readonly emu: EmulatedStage;
  readonly endpoint: string;
  /** Where runs stage their input and the Iceberg warehouse lives. */
  readonly workDir: string;
  /** Polls the queue until it is empty, handing each batch to the real trigger handler. */
  trigger(): Promise<Delivery>;
  /** Executes every Glue run the trigger started, with the real job on local Spark. */
  runJobs(): Promise<RunOutcome[]>;
  /** Sends a notification body again, as S3 may. */
  resend(body: string): Promise<void>;
  query(statements: readonly string[]): Promise<Record<string, unknown>[][]>;
  stop(): Promise<void>;
}

/**
 * A stage on moto, the trigger handler fed from its queue as the event source mapping feeds it, and Glue runs
 * executed by the job on local Spark. `batchSize` is the most messages one invocation gets (the stack's
 * default is 5000; a test keeps every upload in one batch so that one Spark run takes them all).
 */
export async function startLocalPlatform(
  options: { batchSize?: number; workDir?: string } = {},
): Promise<LocalPlatform> {
  const emu = await startEmulatedStage({ jobDefaultArguments: jobDefaultArguments });
  const endpoint = emu.server.endpoint;
  Object.assign(process.env, triggerEnvironment(emu));
  // The handler reads its environment and builds its clients when its module loads, as at a cold start, so it is
  // loaded only now that the environment is set.
  type HandlerModule = typeof import('../../infrastructure-repo/lambda/src/handler');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it too early
  const { handler } = require('../../infrastructure-repo/lambda/src/handler') as HandlerModule;
  const queueArn =
    (
      await emu.clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: emu.queueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn ?? '';
  const workDir = options.workDir ?? mkdtempSync(path.join(tmpdir(), 'local-platform-'));
  const glue = new GlueRunner(emu.clients, emu.stage.jobName, workDir, endpoint, emu.stage.ctx.region);
  const batchSize = options.batchSize ?? 5000;
  return {
    emu,
    endpoint,
    workDir,
    trigger: async () => {
      const total = { messages: 0, failed: 0, bodies: [] as string[] };
      for (;;) {
        const delivery = await deliverBatch(emu.clients, emu.queueUrl, queueArn, handler, batchSize);
        if (delivery.messages === 0) return total;
        total.messages += delivery.messages;
        total.failed += delivery.failed;
        total.bodies.push(...delivery.bodies);
        // A failed message comes back only after its retry delay; the caller decides whether to wait for it.
        if (delivery.failed > 0) return total;
      }
    },
    runJobs: () => glue.runPending(),
    resend: (body) => resend(emu.clients, emu.queueUrl, body),
    query: (statements) => glue.query(statements),
    stop: () => emu.server.stop(),
  };
}
