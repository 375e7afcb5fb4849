import * as path from 'node:path';

import {
  assetsBucketName,
  fileLedgerTableName,
  FileLedgerConfig,
  inputBucketName,
  NameContext,
  reconciliationFunctionName,
} from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { RECONCILIATION_METRICS, RECONCILIATION_SERVICE } from '../lambda/src/reconciliation/metric-names';

import { createStageFunction } from './private/stage-function';
import { reconciliationLogGroupName } from './roles/reconciliation-function-role';

export interface FileReconciliationProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** Encrypts the function's logs. */
  readonly key: kms.IKey;
  /** The function's role; used as is, never widened. */
  readonly role: iam.IRole;
  /** The ledger's retention and the reconciliation's minimum age and schedule. */
  readonly fileLedger: FileLedgerConfig;
  /** Keep the function's logs after the stack is deleted. */
  readonly retainData: boolean;
}

/** The reconciliation function's source, bundled with esbuild. */
export const RECONCILIATION_ENTRY = path.join(
  __dirname,
  '..',
  'lambda',
  'src',
  'reconciliation',
  'handler.ts',
);

/** The CloudWatch namespace of reconciliation's metrics. */
export const reconciliationNamespace = (ctx: NameContext): string =>
  `${ctx.project}/${ctx.stage}/reconciliation`;

/**
 * On the configured schedule, every upload under `incoming/` older than the minimum age is looked up in the file
 * ledger; those without a terminal state are counted (metric `UnreconciledObjects`), logged one line each, and
 * listed in `reports/reconciliation/<timestamp>.json` of the assets bucket. The alarms live in StageAlarms.
 */
export class FileReconciliation extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly schedule: events.Rule;
  private readonly ctx: NameContext;

  constructor(scope: Construct, id: string, props: FileReconciliationProps) {
    super(scope, id);
    const { ctx, fileLedger } = props;
    this.ctx = ctx;

    const created = createStageFunction(this, {
      functionName: reconciliationFunctionName(ctx),
      description: `Reports uploads to ${inputBucketName(ctx)} that reached no end in the file ledger`,
      entry: RECONCILIATION_ENTRY,
      memorySize: 512,
      // The listing stops two minutes before this (LISTING_RESERVE_MS), leaving the lookups and the report time.
      timeout: Duration.minutes(10),
      role: props.role,
      environment: {
        INPUT_BUCKET_NAME: inputBucketName(ctx),
        LEDGER_TABLE_NAME: fileLedgerTableName(ctx),
        ASSETS_BUCKET_NAME: assetsBucketName(ctx),
        MIN_AGE_MINUTES: String(fileLedger.reconciliation.minAgeMinutes),
        LEDGER_RETENTION_DAYS: String(fileLedger.retentionDays),
        POWERTOOLS_SERVICE_NAME: RECONCILIATION_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: reconciliationNamespace(ctx),
      },
      logGroupName: reconciliationLogGroupName(ctx),
      logRetention: logs.RetentionDays.THREE_MONTHS,
      key: props.key,
      retainData: props.retainData,
    });
    this.function = created.function;
    this.logGroup = created.logGroup;
    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Reconciles the uploads of ${ctx.project} stage ${ctx.stage} with the file ledger`,
      schedule: events.Schedule.expression(fileLedger.reconciliation.schedule),
      // A missed run is made good by the next one; retrying an old event would only run twice.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }

  /** One of reconciliation's metrics, with the `service` dimension Powertools adds. */
  metric(name: keyof typeof RECONCILIATION_METRICS, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: reconciliationNamespace(this.ctx),
      metricName: RECONCILIATION_METRICS[name],
      dimensionsMap: { service: RECONCILIATION_SERVICE },
      ...props,
    });
  }
}
