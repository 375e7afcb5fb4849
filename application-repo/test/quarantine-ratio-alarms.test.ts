import { exportName, fileMetricsNamespace, stageContext } from '@glue-platform/shared-constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';

import { DATASET_REGISTRY } from '../lib/dataset-registry';
import { quarantineRatioAlarmName } from '../lib/quarantine-ratio-alarms';

import { defaultConfig, makeJobsDirectory, required, synthesizeStages } from './helpers';

const config = defaultConfig();
const JOB_IDS = ['file_processor', 'table_maintenance'];
const ctx = stageContext(config, 'dev');

type AlarmProperties = {
  AlarmName: string;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  EvaluationPeriods: number;
  AlarmActions: unknown[];
  Metrics: {
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: {
      Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
      Period: number;
      Stat: string;
    };
  }[];
};

function alarmsOf(template: Template): Map<string, AlarmProperties> {
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<
    string,
    { Properties: AlarmProperties }
  >;
  return new Map(Object.values(alarms).map((alarm) => [alarm.Properties.AlarmName, alarm.Properties]));
}

function synthesizeDev(datasets = DATASET_REGISTRY): Template {
  const { templates } = synthesizeStages(config, { jobsDirectory: makeJobsDirectory(JOB_IDS), datasets });
  return required(templates, 'dev');
}

test('each registry dataset gets one alarm at its own threshold, and no other alarm exists', () => {
  const datasets = [
    { dataset: 'Sales-EU', quarantineRatioThreshold: 0.2 },
    { dataset: 'clicks' },
    { dataset: 'orders', quarantineRatioThreshold: 0 },
  ];
  const alarms = alarmsOf(synthesizeDev(datasets));
  expect(Object.fromEntries([...alarms].map(([name, alarm]) => [name, alarm.Threshold]))).toEqual({
    [quarantineRatioAlarmName(ctx, 'Sales-EU')]: 0.2,
    [quarantineRatioAlarmName(ctx, 'clicks')]: 0.05,
    [quarantineRatioAlarmName(ctx, 'orders')]: 0,
  });
  expect(quarantineRatioAlarmName(ctx, 'Sales-EU')).toBe('glue-etl-dev-quarantine-ratio-Sales-EU');
});

test('an alarm divides the sums of RowsQuarantined by RowsRead of its dataset in the stage file metrics', () => {
  const alarm = required(alarmsOf(synthesizeDev()), quarantineRatioAlarmName(ctx, 'orders'));
  const metrics = Object.fromEntries(
    alarm.Metrics.filter((m) => m.MetricStat).map((m) => [
      m.Id,
      {
        namespace: m.MetricStat?.Metric.Namespace,
        name: m.MetricStat?.Metric.MetricName,
        dimensions: m.MetricStat?.Metric.Dimensions,
        stat: m.MetricStat?.Stat,
        period: m.MetricStat?.Period,
      },
    ]),
  );
  const of = (name: string) => ({
    namespace: fileMetricsNamespace(ctx.project, ctx.stage),
    name,
    dimensions: [{ Name: 'Dataset', Value: 'orders' }],
    stat: 'Sum',
    period: 300,
  });
  expect({
    expression: alarm.Metrics.filter((m) => m.Expression).map((m) => [m.Expression, m.ReturnData ?? true]),
    metrics,
    rule: [alarm.ComparisonOperator, alarm.EvaluationPeriods, alarm.TreatMissingData],
  }).toEqual({
    expression: [['IF(rowsRead > 0, rowsQuarantined / rowsRead, 0)', true]],
    metrics: { rowsQuarantined: of('RowsQuarantined'), rowsRead: of('RowsRead') },
    rule: ['GreaterThanThreshold', 1, 'notBreaching'],
  });
});

test('every alarm notifies the alarm topic imported from the stage infrastructure', () => {
  const alarms = [...alarmsOf(synthesizeDev()).values()];
  expect(alarms.map((alarm) => alarm.AlarmActions)).toEqual(
    alarms.map(() => [{ 'Fn::ImportValue': exportName(ctx, 'AlarmTopicArn') }]),
  );
});

test('reordering the registry keeps each alarm under its logical id', () => {
  const datasets = [{ dataset: 'a-1' }, { dataset: 'b.2' }];
  const idsOf = (template: Template) =>
    Object.fromEntries(
      Object.entries(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmName: Match.anyValue() },
        }) as Record<string, { Properties: AlarmProperties }>,
      ).map(([id, alarm]) => [alarm.Properties.AlarmName, id]),
    );
  expect(idsOf(synthesizeDev([...datasets].reverse()))).toEqual(idsOf(synthesizeDev(datasets)));
});

test('an empty registry has no quarantine alarm', () => {
  synthesizeDev([]).resourceCountIs('AWS::CloudWatch::Alarm', 0);
});
