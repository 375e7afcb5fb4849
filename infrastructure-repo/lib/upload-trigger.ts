import * as path from 'node:path';

import {
  assetsBucketName,
  DEFAULT_JOB_ID,
  fileLedgerTableName,
  fileMetricsNamespace,
  glueJobName,
  inputBucketName,
  NameContext,
  S3_PREFIXES,
  triggerDeadLetterQueueName,
  triggerFunctionName,
  triggerQueueName,
} from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';

import {
  DEFAULT_MAX_BYTES_PER_MANIFEST,
  DEFAULT_MAX_OBJECTS_PER_MANIFEST,
} from '../lambda/src/trigger-config';

import { s3BucketArn } from './private/arns';
import { createStageFunction } from './private/stage-function';
import { triggerLogGroupName } from './roles/trigger-function-role';

export interface UploadTriggerProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** Encrypts the queues and the function's logs. */
  readonly key: kms.IKey;
  /** Where CSV files land; its notification configuration is set here. */
  readonly inputBucket: s3.Bucket;
  /** Receives the dead-letter and error alarms. */
  readonly alarmTopic: sns.ITopic;
  /** The ledger's retention: the trigger sets each item's `expiresAt` this many days ahead. */
  readonly ledgerRetentionDays: number;
  /** The function's role; used as is, never widened. */
  readonly role: iam.IRole;
  /** Keep the function's logs after the stack is deleted. */
  readonly retainData: boolean;
  /** The function's timeout; the queue's visibility timeout follows from it. @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** How long the event source gathers messages before invoking, so a burst becomes a few Glue runs. @default Duration.seconds(60) */
  readonly maxBatchingWindow?: Duration;
  /** Most messages per invocation. @default 5000 */
  readonly batchSize?: number;
  /** Receives before a message goes to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * Most objects in one manifest (one Glue run); a dataset with more in one batch is split over several runs.
   * @default 1000 (DEFAULT_MAX_OBJECTS_PER_MANIFEST)
   */
  readonly maxObjectsPerManifest?: number;
  /**
   * Most bytes of CSV in one manifest (one Glue run), so that a run fits the job's timeout on its workers; raise
   * it with the job's workers or timeout. An upload larger than this still gets a run of its own.
   * @default 20 GiB (DEFAULT_MAX_BYTES_PER_MANIFEST), sized for file_processor's 10 G.1X workers and 2 hours
   */
  readonly maxBytesPerManifest?: number;
}

/** The trigger's Powertools service name: the `service` dimension of its metrics. */
export const TRIGGER_SERVICE_NAME = 'upload-trigger';

/** The CloudWatch namespace of the trigger's own operational metrics. */
export const triggerMetricsNamespace = (ctx: NameContext): string => `${ctx.project}/${ctx.stage}/trigger`;

/** The trigger function's source, bundled with esbuild. */
export const TRIGGER_ENTRY = path.join(__dirname, '..', 'lambda', 'src', 'handler.ts');

/**
 * Upload under `incoming/` -> SQS (KMS, TLS-only, dead-letter queue) -> the trigger function, which
 * writes manifests and starts the Glue runs, with alarms on dead letters and function errors.
 *
 * The notification is declared on the bucket itself rather than through CDK's notifications custom resource: the
 * bucket's name is known, so the queue policy can admit it before the bucket exists, and the stack needs no extra
 * Lambda function. CloudFormation creates the bucket after the queue policy (S3 tests the destination).
 */
export class UploadTrigger extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly errorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    const { ctx, key } = props;
    const timeout = props.timeout ?? Duration.minutes(2);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(60);
    const maxObjectsPerManifest = this.positiveWholeNumber(
      'maxObjectsPerManifest',
      props.maxObjectsPerManifest ?? DEFAULT_MAX_OBJECTS_PER_MANIFEST,
    );
    const maxBytesPerManifest = this.positiveWholeNumber(
      'maxBytesPerManifest',
      props.maxBytesPerManifest ?? DEFAULT_MAX_BYTES_PER_MANIFEST,
    );

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: triggerDeadLetterQueueName(ctx),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: triggerQueueName(ctx),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      dataKeyReuse: Duration.minutes(15),
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // AWS guidance: at least six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6 + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    const { policyDependable } = this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'InputBucketSendsUploadEvents',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': s3BucketArn(inputBucketName(ctx)) },
          StringEquals: { 'aws:SourceAccount': ctx.account },
        },
      }),
    );
    if (!policyDependable) throw new Error(`${this.node.path}: the trigger queue did not get a queue policy`);
    this.notifyOnUpload(props.inputBucket, policyDependable);

    const created = createStageFunction(this, {
      functionName: triggerFunctionName(ctx),
      description: `Starts Glue runs for CSV files landing in ${inputBucketName(ctx)}`,
      entry: TRIGGER_ENTRY,
      memorySize: 256,
      timeout,
      role: props.role,
      environment: {
        ASSETS_BUCKET_NAME: assetsBucketName(ctx),
        GLUE_JOB_NAME: glueJobName(ctx, DEFAULT_JOB_ID),
        LEDGER_TABLE_NAME: fileLedgerTableName(ctx),
        LEDGER_RETENTION_DAYS: String(props.ledgerRetentionDays),
        FILE_METRICS_NAMESPACE: fileMetricsNamespace(ctx.project, ctx.stage),
        POWERTOOLS_SERVICE_NAME: TRIGGER_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: triggerMetricsNamespace(ctx),
        MAX_OBJECTS_PER_MANIFEST: String(maxObjectsPerManifest),
        MAX_BYTES_PER_MANIFEST: String(maxBytesPerManifest),
      },
      logGroupName: triggerLogGroupName(ctx),
      logRetention: logs.RetentionDays.ONE_MONTH,
      key,
      retainData: props.retainData,
    });
    this.function = created.function;
    this.logGroup = created.logGroup;
    this.function.addEventSource(
      new eventSources.SqsEventSource(this.queue, {
        // Lambda also caps a batch at its 6 MB payload (about 4,000 S3 notifications), so a large burst still
        // arrives in a few batches rather than in thousands.
        batchSize: props.batchSize ?? 5000,
        maxBatchingWindow,
        reportBatchItemFailures: true,
        // Few concurrent invocations keep a burst in few batches, and so in few Glue runs.
        maxConcurrency: 2,
      }),
    );

    const notify = new cwActions.SnsAction(props.alarmTopic);
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: `Uploads to ${inputBucketName(ctx)} could not start a Glue run after every retry; see the runbook`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(notify);
    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `The trigger function ${triggerFunctionName(ctx)} failed; messages are retried`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(notify);
  }

  /** Fails the synth rather than the function's cold start, which would send every upload to the DLQ. */
  private positiveWholeNumber(prop: string, value: number): number {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${this.node.path}: ${prop} is ${value}; expected a whole number of at least 1`);
    }
    return value;
  }

  /**
   * Every object created under `incoming/`, whatever its suffix: S3 filters are case-sensitive and exact, so a
   * suffix filter silently lost `x.Csv` and `x.csv.gz`. The trigger decides what it processes and records the rest
   * as skipped in the ledger, where an alarm and the reconciliation see it.
   */
  private notifyOnUpload(bucket: s3.Bucket, queuePolicy: IDependable): void {
    const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: this.queue.queueArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: S3_PREFIXES.incoming }] } },
        },
      ],
    };
    cfnBucket.node.addDependency(queuePolicy);
  }
}
