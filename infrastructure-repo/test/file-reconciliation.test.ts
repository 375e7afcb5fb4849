import { reconciliationFunctionName } from '@glue-platform/shared-constructs';
import { Template } from 'aws-cdk-lib/assertions';

import { readReconciliationConfig } from '../lambda/src/reconciliation/reconciliation-config';
import { DataPlatformStack } from '../lib/data-platform-stack';

import { buildInfrastructure, DEFAULT_CONFIG, logicalIdOf } from './support/infrastructure-app';

let stack: DataPlatformStack;
let template: Template;

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  template = built.template('dev');
});

type Props = Record<string, unknown>;
const propertiesIn = (
  t: Template,
  s: DataPlatformStack,
  construct: { node: { defaultChild?: unknown } },
): Props =>
  (t.toJSON().Resources as Record<string, { Properties: Props }>)[logicalIdOf(s, construct)].Properties;
const variablesIn = (t: Template, s: DataPlatformStack): Record<string, string> =>
  (propertiesIn(t, s, s.reconciliation.function).Environment as { Variables: Record<string, string> })
    .Variables;

test('the function runs on Node.js 24 on ARM64 under its stage name, as its own role', () => {
  expect(propertiesIn(template, stack, stack.reconciliation.function)).toMatchObject({
    FunctionName: reconciliationFunctionName(stack.ctx),
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    Timeout: 600,
    Role: { 'Fn::GetAtt': [logicalIdOf(stack, stack.reconciliationRole.role), 'Arn'] },
  });
});

test('its environment names the input bucket, the ledger, the assets bucket, the age and the retention', () => {
  expect(variablesIn(template, stack)).toEqual({
    INPUT_BUCKET_NAME: 'glue-etl-dev-input-222222222222-eu-west-1',
    LEDGER_TABLE_NAME: 'glue-etl-dev-file-ledger',
    ASSETS_BUCKET_NAME: 'glue-etl-dev-assets-222222222222-eu-west-1',
    MIN_AGE_MINUTES: '240',
    LEDGER_RETENTION_DAYS: '400',
    POWERTOOLS_SERVICE_NAME: 'file-reconciliation',
    POWERTOOLS_METRICS_NAMESPACE: 'glue-etl/dev/reconciliation',
    NODE_OPTIONS: '--enable-source-maps',
  });
});

test('the environment the stack passes is one the function accepts at cold start', () => {
  expect(readReconciliationConfig(variablesIn(template, stack))).toMatchObject({
    minAgeMinutes: 240,
    ledgerRetentionDays: 400,
  });
});

test('logs to its own log group, encrypted with the stage key, with a retention', () => {
  expect(propertiesIn(template, stack, stack.reconciliation.logGroup)).toMatchObject({
    LogGroupName: '/aws/lambda/glue-etl-dev-reconciliation',
    RetentionInDays: 90,
    KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, stack.dataKey.key), 'Arn'] },
  });
});

test('runs on the configured schedule, without retrying a missed event', () => {
  expect(propertiesIn(template, stack, stack.reconciliation.schedule)).toMatchObject({
    ScheduleExpression: 'rate(1 hour)',
    State: 'ENABLED',
    Targets: [
      {
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.reconciliation.function), 'Arn'] },
        Id: 'Target0',
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    ],
  });
});

test("a config's fileLedger section reaches the schedule, the function and the trigger", () => {
  const built = buildInfrastructure({
    ...DEFAULT_CONFIG,
    fileLedger: { retentionDays: 90, reconciliation: { minAgeMinutes: 60, schedule: 'cron(0 */2 * * ? *)' } },
  });
  const dev = built.stack('dev');
  const t = built.template('dev');

  expect(propertiesIn(t, dev, dev.reconciliation.schedule).ScheduleExpression).toBe('cron(0 */2 * * ? *)');
  expect(variablesIn(t, dev)).toMatchObject({ MIN_AGE_MINUTES: '60', LEDGER_RETENTION_DAYS: '90' });
  const trigger = (
    propertiesIn(t, dev, dev.trigger.function).Environment as { Variables: Record<string, string> }
  ).Variables;
  expect(trigger.LEDGER_RETENTION_DAYS).toBe('90');
});
