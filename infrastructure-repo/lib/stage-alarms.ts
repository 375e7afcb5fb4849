import { NameContext, triggerQueueName } from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { FileReconciliation } from './file-reconciliation';
import { TRIGGER_SERVICE_NAME, triggerMetricsNamespace, UploadTrigger } from './upload-trigger';

/**
 * The trigger's skip reasons that mean an upload will not be processed: a file that is not CSV, outside a dataset
 * folder, in a folder that is no valid dataset name, or outside `incoming/`. Folder markers (the console's "create
 * folder") and events other than ObjectCreated are not uploads and are left out.
 */
export const SKIPPED_UPLOAD_METRICS = [
  'SkippedNotCsv',
  'SkippedNoDatasetFolder',
  'SkippedInvalidDatasetName',
  'SkippedNotIncoming',
] as const;

export interface StageAlarmsProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** Receives every alarm. */
  readonly topic: sns.ITopic;
  /** Its queue's age and its skip metrics are watched. */
  readonly trigger: UploadTrigger;
  /** Its findings and its own failures are watched. */
  readonly reconciliation: FileReconciliation;
  /**
   * The oldest message of the trigger queue may wait this long. Messages wait a batching window, and a retried
   * one up to 15 minutes per receive; an hour means the function is not reading the queue (a disabled or broken
   * event source mapping), and the queue drops a message after 4 days without sending it to the dead-letter queue.
   * @default Duration.hours(1)
   */
  readonly maxQueueAge?: Duration;
}

/**
 * The stage's alarms on the file path beyond the trigger's own (dead letters, function errors) and the Glue run
 * rule: a queue nobody reads, uploads the trigger skips, uploads reconciliation finds without an end, and a
 * reconciliation that failed or could not check everything. Every alarm goes to the stage's topic.
 */
export class StageAlarms extends Construct {
  readonly queueAgeAlarm: cloudwatch.Alarm;
  readonly skippedUploadsAlarm: cloudwatch.Alarm;
  readonly unreconciledAlarm: cloudwatch.Alarm;
  readonly reconciliationFailedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StageAlarmsProps) {
    super(scope, id);
    const { ctx, trigger, reconciliation } = props;
    const maxQueueAge = props.maxQueueAge ?? Duration.hours(1);
    const notify = new cwActions.SnsAction(props.topic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(notify);
      return created;
    };

    this.queueAgeAlarm = alarm('QueueAgeAlarm', {
      alarmDescription:
        `The oldest upload notification in ${triggerQueueName(ctx)} is older than ${maxQueueAge.toHumanString()}: ` +
        'the trigger is not reading its queue; messages expire after 4 days without reaching the DLQ',
      metric: trigger.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: maxQueueAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const skipped = Object.fromEntries(
      SKIPPED_UPLOAD_METRICS.map((name, i) => [
        `s${i}`,
        new cloudwatch.Metric({
          namespace: triggerMetricsNamespace(ctx),
          metricName: name,
          dimensionsMap: { service: TRIGGER_SERVICE_NAME },
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(5),
        }),
      ]),
    );
    this.skippedUploadsAlarm = alarm('SkippedUploadsAlarm', {
      alarmDescription:
        'The trigger skipped uploads it will not process (not CSV, no dataset folder, invalid dataset name); ' +
        'the ledger names them with status skipped and the reason',
      metric: new cloudwatch.MathExpression({
        expression: Object.keys(skipped)
          .map((m) => `FILL(${m}, 0)`)
          .join(' + '),
        usingMetrics: skipped,
        label: 'Skipped uploads',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.unreconciledAlarm = alarm('UnreconciledAlarm', {
      alarmDescription:
        'Reconciliation found uploads under incoming/ with no terminal state in the file ledger; the list is in ' +
        'the latest reports/reconciliation/ report of the assets bucket',
      metric: reconciliation.metric('unreconciled', {
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // Between runs there is no data; the alarm keeps its state until a run counts again, whatever the schedule.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });

    this.reconciliationFailedAlarm = alarm('ReconciliationFailedAlarm', {
      alarmDescription:
        'Reconciliation failed, or stopped before it had checked every upload under incoming/ (see its log)',
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(errors, 0) + FILL(incomplete, 0)',
        usingMetrics: {
          errors: reconciliation.function.metricErrors({ statistic: cloudwatch.Stats.SUM }),
          incomplete: reconciliation.metric('incomplete', { statistic: cloudwatch.Stats.MAXIMUM }),
        },
        label: 'Failed or incomplete reconciliations',
        period: Duration.hours(1),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
