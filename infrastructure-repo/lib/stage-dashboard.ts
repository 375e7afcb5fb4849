import {
  DEFAULT_JOB_ID,
  FILE_METRIC_DIMENSION,
  fileMetricsNamespace,
  glueJobName,
  NameContext,
  stageDashboardName,
} from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

import { FileReconciliation } from './file-reconciliation';
import { StageAlarms } from './stage-alarms';
import { UploadTrigger } from './upload-trigger';

export interface StageDashboardProps {
  readonly ctx: NameContext;
  readonly trigger: UploadTrigger;
  readonly reconciliation: FileReconciliation;
  readonly alarms: StageAlarms;
}

/** The per-dataset file counts charted, one graph each: what came in and how each file ended. */
export const DASHBOARD_FILE_METRICS = [
  'FilesReceived',
  'FilesSucceeded',
  'FilesQuarantined',
  'FilesFailed',
] as const;

/** Each G.1X worker (the workers of file_processor) is one DPU. */
const DPU_PER_WORKER = 1;

const WIDTH = 24;
const HOUR = Duration.hours(1);

/**
 * The stage on one page: files per dataset through their ends, the trigger queue, the Glue runs, and the last
 * reconciliation. Per-dataset graphs are SEARCH expressions, so a new dataset appears without a deploy.
 */
export class StageDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: StageDashboardProps) {
    super(scope, id);
    const { ctx, trigger, reconciliation, alarms } = props;
    const filesNamespace = fileMetricsNamespace(ctx.project, ctx.stage);
    const jobPrefix = glueJobName(ctx, '');
    const fileProcessor = glueJobName(ctx, DEFAULT_JOB_ID);

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: stageDashboardName(ctx),
      defaultInterval: Duration.days(7),
    });

    const perDataset = (metricName: string) =>
      new cloudwatch.GraphWidget({
        title: `${metricName} per dataset (per hour)`,
        width: WIDTH / DASHBOARD_FILE_METRICS.length,
        height: 6,
        stacked: true,
        left: [
          new cloudwatch.MathExpression({
            expression:
              `SEARCH('{"${filesNamespace}","${FILE_METRIC_DIMENSION}"} MetricName="${metricName}"', ` +
              `'Sum', ${HOUR.toSeconds()})`,
            label: '',
            period: HOUR,
          }),
        ],
      });

    const executors = new cloudwatch.Metric({
      namespace: 'Glue',
      metricName: 'glue.driver.ExecutorAllocationManager.executors.numberAllExecutors',
      dimensionsMap: { JobName: fileProcessor, JobRunId: 'ALL', Type: 'gauge' },
      statistic: cloudwatch.Stats.AVERAGE,
      period: Duration.minutes(1),
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          `# ${ctx.project} ${ctx.stage}: files\n` +
          'Every upload under `incoming/` is recorded in the file ledger until it ends succeeded, quarantined, ' +
          'failed or skipped. What to do for each alarm: docs/operations.md.',
        width: WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(...DASHBOARD_FILE_METRICS.map(perDataset));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Trigger queue depth',
        width: WIDTH / 3,
        height: 6,
        left: [
          trigger.queue.metricApproximateNumberOfMessagesVisible({ label: 'waiting', statistic: 'Maximum' }),
          trigger.queue.metricApproximateNumberOfMessagesNotVisible({
            label: 'in flight',
            statistic: 'Maximum',
          }),
          trigger.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            label: 'dead letters',
            statistic: 'Maximum',
          }),
        ],
      }),
      new cloudwatch.AlarmWidget({
        title: 'Age of the oldest queued message',
        alarm: alarms.queueAgeAlarm,
        width: WIDTH / 3,
        height: 6,
      }),
      new cloudwatch.AlarmWidget({
        title: 'Skipped uploads',
        alarm: alarms.skippedUploadsAlarm,
        width: WIDTH / 3,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Glue run time per run (minutes)',
        width: WIDTH / 2,
        height: 6,
        left: [
          new cloudwatch.MathExpression({
            expression:
              `SEARCH('{Glue,JobName,JobRunId,Type} MetricName="glue.driver.aggregate.elapsedTime" ` +
              `Type="count" NOT JobRunId="ALL" "${jobPrefix}"', 'Maximum', 300) / 60000`,
            label: '',
            period: Duration.minutes(5),
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: `${DEFAULT_JOB_ID} DPU-hours (estimated: executors + driver, running sum over the range)`,
        width: WIDTH / 2,
        height: 6,
        left: [
          new cloudwatch.MathExpression({
            // Each minute with executors running costs (executors + 1 driver) worker-minutes.
            expression: `RUNNING_SUM((FILL(e, 0) + IF(FILL(e, 0) > 0, 1, 0)) * ${DPU_PER_WORKER} / 60)`,
            usingMetrics: { e: executors },
            label: 'DPU-hours',
            period: Duration.minutes(1),
          }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'Last reconciliation',
        width: WIDTH / 3,
        height: 6,
        metrics: [
          reconciliation.metric('unreconciled', {
            label: 'unreconciled uploads',
            statistic: cloudwatch.Stats.MAXIMUM,
            period: HOUR,
          }),
          reconciliation.metric('checked', { label: 'versions checked', statistic: 'Maximum', period: HOUR }),
          reconciliation.metric('incomplete', { label: 'stopped early', statistic: 'Maximum', period: HOUR }),
        ],
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Unreconciled uploads (latest first)',
        width: (WIDTH * 2) / 3,
        height: 6,
        logGroupNames: [reconciliation.logGroup.logGroupName],
        queryLines: [
          'fields @timestamp, key, version, reason, ledgerStatus, lastModified',
          'filter message = "unreconciled object"',
          'sort @timestamp desc',
          'limit 100',
        ],
      }),
    );
  }
}
