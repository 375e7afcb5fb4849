import { FILE_METRIC_DIMENSION, fileMetricsNamespace, NameContext } from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { DatasetDefinition } from './dataset-definition';
import { resolveDatasets } from './dataset-registry';

/**
 * Short enough to stand for one run (the job puts its counts once, when the run ends), long enough to add up the
 * runs of a dataset that end together.
 */
export const QUARANTINE_RATIO_PERIOD = Duration.minutes(5);

export interface QuarantineRatioAlarmsProps {
  /** The stage whose file metrics the alarms read. */
  readonly context: NameContext;
  /** The validated dataset registry: one alarm per entry, at its `quarantineRatioThreshold`. */
  readonly datasets: readonly DatasetDefinition[];
  /** The stage's alarm topic. */
  readonly topic: ITopic;
}

/** The alarm's name: the stage prefix, then the dataset as users upload it. */
export const quarantineRatioAlarmName = (ctx: NameContext, dataset: string): string =>
  `${ctx.project}-${ctx.stage}-quarantine-ratio-${dataset}`;

/**
 * One alarm per registry dataset: the share of its rows read that went to quarantine (RowsQuarantined / RowsRead of
 * the file metrics the job puts after each run), above the dataset's threshold, notifies the stage's topic. A period
 * without runs has no data and is not a breach. A dataset without a registry entry has no alarm: declare it.
 */
export class QuarantineRatioAlarms extends Construct {
  /** Keyed by dataset. */
  readonly alarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: QuarantineRatioAlarmsProps) {
    super(scope, id);
    const namespace = fileMetricsNamespace(props.context.project, props.context.stage);
    const notify = new SnsAction(props.topic);
    const metric = (dataset: string, metricName: string) =>
      new Metric({
        namespace,
        metricName,
        dimensionsMap: { [FILE_METRIC_DIMENSION]: dataset },
        statistic: Stats.SUM,
        period: QUARANTINE_RATIO_PERIOD,
      });
    this.alarms = new Map(
      Object.entries(resolveDatasets(props.datasets)).map(([dataset, settings]) => {
        const ratio = new MathExpression({
          // IF: a period whose runs read no rows has a ratio of 0, not a division by zero.
          expression: 'IF(rowsRead > 0, rowsQuarantined / rowsRead, 0)',
          usingMetrics: {
            rowsQuarantined: metric(dataset, 'RowsQuarantined'),
            rowsRead: metric(dataset, 'RowsRead'),
          },
          label: `Quarantine ratio of ${dataset}`,
          period: QUARANTINE_RATIO_PERIOD,
        });
        // The dataset as the construct id (never a `/`): the logical id stays put when the registry is reordered,
        // which a named alarm needs (CloudFormation cannot replace it under the same name).
        const alarm = new Alarm(this, dataset, {
          alarmName: quarantineRatioAlarmName(props.context, dataset),
          alarmDescription:
            `More than ${settings.quarantineRatioThreshold} of the rows of dataset ${dataset} went to ` +
            'quarantine (quarantineRatioThreshold of the dataset registry); see docs/operations.md, ' +
            '"Quarantine ratio above threshold"',
          metric: ratio,
          threshold: settings.quarantineRatioThreshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction(notify);
        return [dataset, alarm];
      }),
    );
  }
}
