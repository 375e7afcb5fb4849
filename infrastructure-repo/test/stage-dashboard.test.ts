import { stageDashboardName } from '@glue-platform/shared-constructs';

import { DataPlatformStack } from '../lib/data-platform-stack';

import { buildInfrastructure, logicalIdOf } from './support/infrastructure-app';

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly view?: string;
    readonly metrics?: unknown[][];
    readonly annotations?: { alarms?: string[] };
    readonly query?: string;
  };
}

let stack: DataPlatformStack;
let dashboardName: unknown;
let widgets: Widget[];

/** The dashboard body with every reference written as `<LogicalId.Attribute>` or `<Ref>`, parsed. */
const bodyOf = (body: unknown): { widgets: Widget[] } => {
  const parts = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return ref.Ref ? `<${ref.Ref}>` : `<${(ref['Fn::GetAtt'] ?? []).join('.')}>`;
    })
    .join('');
  return JSON.parse(text) as { widgets: Widget[] };
};

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  const [dashboard] = Object.values(built.template('dev').findResources('AWS::CloudWatch::Dashboard')) as {
    Properties: { DashboardName: unknown; DashboardBody: unknown };
  }[];
  dashboardName = dashboard.Properties.DashboardName;
  widgets = bodyOf(dashboard.Properties.DashboardBody).widgets;
});

const titled = (title: string): Widget => {
  const widget = widgets.find((w) => w.properties.title === title);
  if (!widget)
    throw new Error(
      `no widget titled "${title}"; titles: ${widgets.map((w) => w.properties.title).join(' | ')}`,
    );
  return widget;
};
const expressionsOf = (widget: Widget): string[] =>
  (widget.properties.metrics ?? []).flatMap((row) =>
    row.flatMap((cell) => {
      const expression = (cell as { expression?: string } | null)?.expression;
      return typeof expression === 'string' ? [expression] : [];
    }),
  );

test('one dashboard per stage, named by the naming module', () => {
  expect(dashboardName).toBe(
    stageDashboardName({ project: 'glue-etl', stage: 'dev', account: '', region: '' }),
  );
  expect(dashboardName).toBe('glue-etl-dev-files');
});

test.each(['FilesReceived', 'FilesSucceeded', 'FilesQuarantined', 'FilesFailed'])(
  '%s is charted per dataset with a SEARCH over the file-metrics namespace and the Dataset dimension',
  (metricName) => {
    expect(expressionsOf(titled(`${metricName} per dataset (per hour)`))).toEqual([
      `SEARCH('{"glue-etl/dev/files","Dataset"} MetricName="${metricName}"', 'Sum', 3600)`,
    ]);
  },
);

test('the trigger queue depth shows waiting, in-flight and dead-letter messages', () => {
  const rows = titled('Trigger queue depth').properties.metrics ?? [];
  expect(rows.map((row) => row.slice(0, 4))).toEqual([
    [
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      `<${logicalIdOf(stack, stack.trigger.queue)}.QueueName>`,
    ],
    [
      'AWS/SQS',
      'ApproximateNumberOfMessagesNotVisible',
      'QueueName',
      `<${logicalIdOf(stack, stack.trigger.queue)}.QueueName>`,
    ],
    [
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      `<${logicalIdOf(stack, stack.trigger.deadLetterQueue)}.QueueName>`,
    ],
  ]);
});

test('the age of the oldest message and the skipped uploads are shown with their alarms', () => {
  expect(titled('Age of the oldest queued message').properties.annotations?.alarms).toEqual([
    `<${logicalIdOf(stack, stack.stageAlarms.queueAgeAlarm)}.Arn>`,
  ]);
  expect(titled('Skipped uploads').properties.annotations?.alarms).toEqual([
    `<${logicalIdOf(stack, stack.stageAlarms.skippedUploadsAlarm)}.Arn>`,
  ]);
});

test("Glue run times come from every run of the stage's jobs, in minutes", () => {
  expect(expressionsOf(titled('Glue run time per run (minutes)'))).toEqual([
    `SEARCH('{Glue,JobName,JobRunId,Type} MetricName="glue.driver.aggregate.elapsedTime" Type="count" ` +
      `NOT JobRunId="ALL" "glue-etl-dev-"', 'Maximum', 300) / 60000`,
  ]);
});

test("file_processor's DPU-hours are estimated from its executors plus the driver, summed over the range", () => {
  const widget = titled(
    'file_processor DPU-hours (estimated: executors + driver, running sum over the range)',
  );
  expect(expressionsOf(widget)).toEqual(['RUNNING_SUM((FILL(e, 0) + IF(FILL(e, 0) > 0, 1, 0)) * 1 / 60)']);
  const executors = (widget.properties.metrics ?? []).find((row) => row[0] === 'Glue');
  expect(executors?.slice(0, 8)).toEqual([
    'Glue',
    'glue.driver.ExecutorAllocationManager.executors.numberAllExecutors',
    'JobName',
    'glue-etl-dev-file-processor',
    'JobRunId',
    'ALL',
    'Type',
    'gauge',
  ]);
});

test('the last reconciliation shows its count, what it checked and whether it stopped early', () => {
  const widget = titled('Last reconciliation');
  expect(widget.properties.view).toBe('singleValue');
  expect((widget.properties.metrics ?? []).map((row) => row.slice(0, 5))).toEqual(
    ['UnreconciledObjects', 'VersionsChecked', 'ReconciliationIncomplete'].map((name): unknown[] => [
      'glue-etl/dev/reconciliation',
      name,
      'service',
      'file-reconciliation',
      expect.anything(),
    ]),
  );
});

test("the unreconciled uploads are listed from the reconciliation function's log", () => {
  const query = titled('Unreconciled uploads (latest first)').properties.query ?? '';
  expect(query).toContain(`SOURCE '<${logicalIdOf(stack, stack.reconciliation.logGroup)}>'`);
  expect(query).toContain('filter message = "unreconciled object"');
});
