import './support/handler-env';
import { StartJobRunCommand } from '@aws-sdk/client-glue';
import type { Context } from 'aws-lambda';
import 'aws-sdk-client-mock-jest';

import { handler } from '../src/handler';
import { metrics } from '../src/telemetry';

import { glueMock, resetAwsMocks, writtenManifests } from './support/aws-mocks';
import { captureLogs, notification, oneMessagePerObject, sqsRecord } from './support/events';
import { HANDLER_ENV } from './support/handler-env';

const context = {
  functionName: 'glue-platform-dev-trigger',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:222222222222:function:glue-platform-dev-trigger',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: '/aws/lambda/glue-platform-dev-trigger',
  logStreamName: '2026/11/23/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 120_000,
} as unknown as Context;

let addMetric: jest.SpyInstance;
let publish: jest.SpyInstance;

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
  addMetric = jest.spyOn(metrics, 'addMetric');
  publish = jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('handler', () => {
  test('an SQS event becomes one manifest per dataset and one run each', async () => {
    // Arrange
    const records = oneMessagePerObject([
      { key: 'incoming/sales/a.csv' },
      { key: 'incoming/stock/b.CSV' },
      { key: 'incoming/sales/c.csv' },
    ]);

    // Act
    const response = await handler({ Records: records }, context);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 2);
    expect(writtenManifests().map(({ key }) => key)).toEqual([
      expect.stringMatching(/^manifests\/sales\/\d{4}-\d{2}-\d{2}\/\d{8}T\d{6}Z-[0-9a-f-]{36}\.json$/),
      expect.stringMatching(/^manifests\/stock\//),
    ]);
  });

  test('the counts of the invocation are published as metrics once', async () => {
    await handler({ Records: [sqsRecord(notification({ key: 'incoming/sales/a.csv' }), 'm-1')] }, context);

    expect(addMetric).toHaveBeenCalledWith('GlueRunsStarted', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('ObjectsHandedToRuns', 'Count', 1);
    expect(publish).toHaveBeenCalledTimes(1);
  });

  test('a failure to publish metrics after runs started does not fail the batch', async () => {
    publish.mockImplementation(() => {
      throw new Error('stdout closed');
    });

    const response = await handler(
      { Records: oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]) },
      context,
    );

    expect(response).toEqual({ batchItemFailures: [] });
  });

  test('a message that fails is returned as a batch item failure', async () => {
    const response = await handler({ Records: [sqsRecord('{}', 'broken')] }, context);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'broken' }] });
  });

  test('a missing environment variable fails the cold start with its name', () => {
    // Arrange
    const saved = process.env.GLUE_JOB_NAME;
    delete process.env.GLUE_JOB_NAME;

    // Act
    const load = (): unknown => jest.isolateModules(() => jest.requireActual('../src/handler'));

    // Assert
    try {
      expect(load).toThrow(/GLUE_JOB_NAME is missing or empty; expected the name of the Glue job to start/);
    } finally {
      process.env.GLUE_JOB_NAME = saved ?? HANDLER_ENV.GLUE_JOB_NAME;
    }
  });
});
