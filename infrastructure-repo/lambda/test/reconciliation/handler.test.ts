import './support/handler-env';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import 'aws-sdk-client-mock-jest';

import { handler } from '../../src/reconciliation/handler';
import { logger, metrics } from '../../src/reconciliation/telemetry';

import { ASSETS_BUCKET, fakeBucket, fakeLedger, INPUT_BUCKET, resetFakes, s3Mock } from './support/fakes';

const context = {
  functionName: 'glue-etl-dev-reconciliation',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;

const NOW = new Date('2026-11-30T12:00:00.000Z');

beforeEach(() => {
  resetFakes();
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

test('a run writes the report with every finding, logs each finding and publishes the count', async () => {
  // Arrange: one upload whose notification never came, one that succeeded, one still too young to judge.
  fakeBucket([
    {
      key: 'incoming/sales/lost.Csv',
      versionId: 'v-lost',
      eTag: '"e1"',
      lastModified: new Date('2026-11-30T06:00:00Z'),
    },
    {
      key: 'incoming/sales/done.csv',
      versionId: 'v-done',
      eTag: '"e2"',
      lastModified: new Date('2026-11-30T06:00:00Z'),
    },
    {
      key: 'incoming/sales/new.csv',
      versionId: 'v-new',
      eTag: '"e3"',
      lastModified: new Date('2026-11-30T11:00:00Z'),
    },
  ]);
  fakeLedger([
    {
      objectKey: `${INPUT_BUCKET}/incoming/sales/done.csv`,
      version: 'v-done',
      status: 'succeeded',
      updatedAt: '2026-11-30T06:10:00.000Z',
      jobRunId: 'jr_1',
    },
  ]);
  const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  const addMetric = jest.spyOn(metrics, 'addMetric');
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

  // Act
  const result = await handler({}, context);

  // Assert
  expect(result).toEqual({
    reportUri: `s3://${ASSETS_BUCKET}/reports/reconciliation/20261130T120000Z.json`,
    unreconciled: 1,
    stoppedEarly: null,
  });
  expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
    Bucket: ASSETS_BUCKET,
    Key: 'reports/reconciliation/20261130T120000Z.json',
    ContentType: 'application/json',
  });
  const body = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input.Body as string;
  const report = JSON.parse(body) as { findings: { key: string; reason: string }[]; counts: unknown };
  expect(report.findings.map((f) => [f.key, f.reason])).toEqual([
    ['incoming/sales/lost.Csv', 'no-ledger-item'],
  ]);
  expect(report.counts).toMatchObject({ versionsListed: 3, candidates: 2, tooRecent: 1, unreconciled: 1 });
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn).toHaveBeenCalledWith(
    'unreconciled object',
    expect.objectContaining({ key: 'incoming/sales/lost.Csv', reason: 'no-ledger-item' }),
  );
  expect(addMetric.mock.calls).toEqual([
    ['UnreconciledObjects', 'Count', 1],
    ['VersionsChecked', 'Count', 2],
    ['ReconciliationIncomplete', 'Count', 0],
  ]);
});

test('a run with nothing to report still writes a report and publishes zero', async () => {
  fakeBucket([]);
  fakeLedger([]);
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  const addMetric = jest.spyOn(metrics, 'addMetric');
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

  const result = await handler({}, context);

  expect(result.unreconciled).toBe(0);
  expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 1);
  expect(addMetric).toHaveBeenCalledWith('UnreconciledObjects', 'Count', 0);
});

test('a report that cannot be written fails the run after the findings were logged and counted', async () => {
  fakeBucket([
    {
      key: 'incoming/sales/lost.csv',
      versionId: 'v-lost',
      eTag: '"e1"',
      lastModified: new Date('2026-11-30T06:00:00Z'),
    },
  ]);
  fakeLedger([]);
  s3Mock.on(PutObjectCommand).rejects(new Error('AccessDenied'));
  const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const addMetric = jest.spyOn(metrics, 'addMetric');
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);

  await expect(handler({}, context)).rejects.toThrow('AccessDenied');
  expect(warn).toHaveBeenCalledWith(
    'unreconciled object',
    expect.objectContaining({ key: 'incoming/sales/lost.csv' }),
  );
  expect(addMetric).toHaveBeenCalledWith('UnreconciledObjects', 'Count', 1);
});
