import { NameContext } from '@glue-platform/shared-constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';

import { METRIC_NAMES } from '../lambda/src/telemetry';
import { DataPlatformStack } from '../lib/data-platform-stack';
import { SKIPPED_UPLOAD_METRICS } from '../lib/stage-alarms';

import { buildInfrastructure, logicalIdOf } from './support/infrastructure-app';

let stack: DataPlatformStack;
let template: Template;
let ctx: NameContext;

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  template = built.template('dev');
  ctx = built.ctx('dev');
});

type Props = Record<string, unknown>;
const propertiesOf = (construct: { node: { defaultChild?: unknown } }): Props =>
  (template.toJSON().Resources as Record<string, { Properties: Props }>)[logicalIdOf(stack, construct)]
    .Properties;
const toTopic = () => [{ Ref: logicalIdOf(stack, stack.alarmTopic.topic) }];

interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] };
    Stat: string;
  };
}

describe('the age of the oldest queued message', () => {
  test('an hour-old message in the trigger queue raises an alarm to the topic', () => {
    expect(propertiesOf(stack.stageAlarms.queueAgeAlarm)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.queue), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      Threshold: 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: toTopic(),
    });
  });
});

describe('skipped uploads', () => {
  test("sums the trigger's skip reasons that mean an upload is not processed, and alarms above zero", () => {
    const props = propertiesOf(stack.stageAlarms.skippedUploadsAlarm);
    expect(props).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: toTopic(),
    });
    const queries = props.Metrics as MetricQuery[];
    const stats = queries.filter((q) => q.MetricStat).map((q) => q.MetricStat);
    expect(stats.map((s) => s?.Metric.MetricName)).toEqual([
      'SkippedNotCsv',
      'SkippedNoDatasetFolder',
      'SkippedInvalidDatasetName',
      'SkippedNotIncoming',
    ]);
    for (const stat of stats) {
      expect(stat).toMatchObject({
        Metric: {
          Namespace: `${ctx.project}/${ctx.stage}/trigger`,
          Dimensions: [{ Name: 'service', Value: 'upload-trigger' }],
        },
        Stat: 'Sum',
      });
    }
    const expression = queries.find((q) => q.Expression)?.Expression;
    expect(expression).toBe('FILL(s0, 0) + FILL(s1, 0) + FILL(s2, 0) + FILL(s3, 0)');
  });

  test('every metric the alarm sums is one the trigger publishes, under the service name the stack gives it', () => {
    for (const name of SKIPPED_UPLOAD_METRICS) expect(METRIC_NAMES).toContain(name);
    const env = (propertiesOf(stack.trigger.function).Environment as { Variables: Record<string, string> })
      .Variables;
    expect([env.POWERTOOLS_METRICS_NAMESPACE, env.POWERTOOLS_SERVICE_NAME]).toEqual([
      'glue-etl/dev/trigger',
      'upload-trigger',
    ]);
  });
});

describe('reconciliation', () => {
  test('any unreconciled upload raises an alarm to the topic, which holds until a run finds none', () => {
    expect(propertiesOf(stack.stageAlarms.unreconciledAlarm)).toMatchObject({
      Namespace: 'glue-etl/dev/reconciliation',
      MetricName: 'UnreconciledObjects',
      Dimensions: [{ Name: 'service', Value: 'file-reconciliation' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
      AlarmActions: toTopic(),
    });
  });

  test('a failed or incomplete reconciliation raises an alarm to the topic', () => {
    const props = propertiesOf(stack.stageAlarms.reconciliationFailedAlarm);
    expect(props).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: toTopic(),
    });
    const queries = props.Metrics as MetricQuery[];
    expect(queries.find((q) => q.Expression)?.Expression).toBe('FILL(errors, 0) + FILL(incomplete, 0)');
    expect(queries.find((q) => q.Id === 'errors')?.MetricStat).toMatchObject({
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: logicalIdOf(stack, stack.reconciliation.function) } },
        ],
      },
    });
    expect(queries.find((q) => q.Id === 'incomplete')?.MetricStat?.Metric.MetricName).toBe(
      'ReconciliationIncomplete',
    );
  });
});

describe('Glue runs', () => {
  test('a run that ends FAILED, TIMEOUT, STOPPED or ERROR is announced on the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: { jobName: [{ prefix: 'glue-etl-dev-' }], state: ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] },
      }),
      Targets: [Match.objectLike({ Arn: { Ref: logicalIdOf(stack, stack.alarmTopic.topic) } })],
    });
  });
});

test('every CloudWatch alarm of the stack notifies the topic', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Props }[];
  expect(alarms.length).toBe(6);
  for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual(toTopic());
});
