import {
  ConcurrentRunsExceededException,
  EntityNotFoundException,
  InternalServiceException,
  StartJobRunCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import 'aws-sdk-client-mock-jest';

import { processBatch } from '../src/process-batch';

import {
  glueMock,
  resetAwsMocks,
  s3Mock,
  sqsMock,
  startedManifestUris,
  writtenManifests,
  writtenPointers,
} from './support/aws-mocks';
import {
  ASSETS_BUCKET,
  captureLogs,
  JOB_NAME,
  loadFixture,
  notification,
  oneMessagePerObject,
  QUEUE_URL,
  sqsRecord,
  testDeps,
  type ObjectSpec,
} from './support/events';

let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  resetAwsMocks();
  logs = captureLogs();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const burst = (count: number, datasets: readonly string[]): ObjectSpec[] =>
  Array.from({ length: count }, (_, index) => ({
    key: `incoming/${datasets[index % datasets.length]}/upload ${index}.csv`,
    versionId: `v${index}`,
  }));

const failedIds = (result: { response: { batchItemFailures: { itemIdentifier: string }[] } }): string[] =>
  result.response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

const glueError = (name: string): Error => {
  const options = { message: `${name} from the test`, $metadata: {} };
  switch (name) {
    case 'ConcurrentRunsExceededException':
      return new ConcurrentRunsExceededException(options);
    case 'EntityNotFoundException':
      return new EntityNotFoundException(options);
    case 'InternalServiceException':
      return new InternalServiceException(options);
    default:
      return new ThrottlingException(options);
  }
};

describe('micro-batching', () => {
  test('a burst of 2,500 uploads across 3 datasets in one batch starts exactly 3 runs', async () => {
    // Arrange
    const records = oneMessagePerObject(burst(2500, ['sales', 'stock', 'returns']));

    // Act
    const result = await processBatch(records, testDeps());

    // Assert
    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 3);
    expect(result.response.batchItemFailures).toEqual([]);
    const manifests = writtenManifests();
    expect(manifests.map(({ manifest }) => [manifest.dataset, manifest.objects.length])).toEqual([
      ['sales', 834],
      ['stock', 833],
      ['returns', 833],
    ]);
    expect(new Set(manifests.flatMap(({ manifest }) => manifest.objects.map((item) => item.key))).size).toBe(
      2500,
    );
  });

  test('with a cap of 400 objects the same burst starts three runs per dataset', async () => {
    const records = oneMessagePerObject(burst(2500, ['sales', 'stock', 'returns']));
    const deps = testDeps();

    const result = await processBatch(records, {
      ...deps,
      config: { ...deps.config, maxObjectsPerManifest: 400 },
    });

    expect(result.runs.map((run) => run.manifest.objects.length)).toEqual([
      400, 400, 34, 400, 400, 33, 400, 400, 33,
    ]);
  });

  test('with a byte cap the burst is split by the sizes the notifications report', async () => {
    const specs = [400, 400, 400, 300, 900].map((size, index) => ({
      key: `incoming/sales/upload ${index}.csv`,
      versionId: `v${index}`,
      size,
    }));
    const deps = testDeps();

    const result = await processBatch(oneMessagePerObject(specs), {
      ...deps,
      config: { ...deps.config, maxBytesPerManifest: 1000 },
    });

    expect(result.runs.map((run) => run.manifest.objects.map((item) => item.size))).toEqual([
      [400, 400],
      [400, 300],
      [900],
    ]);
    expect(result.response.batchItemFailures).toEqual([]);
  });

  test('an upload larger than the byte cap starts a run of its own, counted and logged as oversized', async () => {
    const specs = [
      { key: 'incoming/sales/small.csv', versionId: 'v1', size: 10 },
      { key: 'incoming/sales/huge.csv', versionId: 'v2', size: 30 * 1024 ** 3 },
    ];
    const deps = testDeps();

    const result = await processBatch(oneMessagePerObject(specs), deps);

    expect(result.runs.map((run) => run.manifest.objects.map((item) => item.key))).toEqual([
      ['incoming/sales/small.csv'],
      ['incoming/sales/huge.csv'],
    ]);
    expect(result.counts.OversizedMessages).toBe(1);
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringContaining('exceeds a manifest cap'),
      expect.objectContaining({
        bytes: 30 * 1024 ** 3,
        byteCap: deps.config.maxBytesPerManifest,
        messageIds: ['m-1'],
      }),
    );
  });

  test('each run is started on its manifest URI in the assets bucket', async () => {
    // Arrange
    const records = oneMessagePerObject([{ key: 'incoming/Sales-EU/a.csv' }]);

    // Act
    await processBatch(records, testDeps());

    // Assert
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: ASSETS_BUCKET,
      Key: 'manifests/sales_eu/2026-11-23/manifest-1.json',
      ContentType: 'application/json',
    });
    expect(glueMock).toHaveReceivedCommandWith(StartJobRunCommand, {
      JobName: JOB_NAME,
      Arguments: { '--manifest': `s3://${ASSETS_BUCKET}/manifests/sales_eu/2026-11-23/manifest-1.json` },
    });
  });

  test('the manifest carries the decoded key, version, ETag, size and event time of each object', async () => {
    const body = loadFixture('s3-put-encoded-key.json');

    await processBatch([sqsRecord(body, 'm-1')], testDeps());

    expect(writtenManifests()[0]?.manifest).toEqual({
      version: 1,
      manifestId: 'manifest-1',
      dataset: 'sales',
      table: 'sales',
      createdAt: '2026-11-23T10:20:00.000Z',
      objects: [
        {
          bucket: 'glue-platform-dev-input-222222222222-eu-west-1',
          key: 'incoming/sales/2026/Q4 report C++ été.CSV',
          versionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd',
          eTag: '0123456789abcdef0123456789abcdef',
          size: 2048,
          eventTime: '2026-11-23T10:15:30.123Z',
        },
      ],
    });
  });

  test('a duplicate notification of the same version is processed once and both messages are acknowledged', async () => {
    const spec = { key: 'incoming/sales/a.csv', versionId: 'v1' };
    const records = [sqsRecord(notification(spec), 'm-1'), sqsRecord(notification(spec), 'm-2')];

    const result = await processBatch(records, testDeps());

    expect(writtenManifests()[0]?.manifest.objects).toHaveLength(1);
    expect(result.counts.DuplicateObjectsDropped).toBe(1);
    expect(result.response.batchItemFailures).toEqual([]);
  });
});

describe('what is not processed', () => {
  test('an S3 test event is acknowledged and counted without touching S3 or Glue', async () => {
    const result = await processBatch([sqsRecord(loadFixture('s3-test-event.json'), 'm-1')], testDeps());

    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.counts.TestEvents).toBe(1);
    expect(s3Mock).not.toHaveReceivedAnyCommand();
    expect(glueMock).not.toHaveReceivedAnyCommand();
  });

  test('skipped objects are acknowledged and counted per reason', async () => {
    const result = await processBatch([sqsRecord(loadFixture('s3-skipped-objects.json'), 'm-1')], testDeps());

    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.counts).toMatchObject({
      SkippedFolderMarker: 1,
      SkippedNotCsv: 1,
      SkippedNoDatasetFolder: 1,
      SkippedInvalidDatasetName: 1,
      SkippedNotIncoming: 1,
      SkippedNotObjectCreated: 1,
      ObjectsAccepted: 0,
    });
    expect(glueMock).not.toHaveReceivedAnyCommand();
  });

  test('each skipped object is logged with its reason and decoded key', async () => {
    await processBatch([sqsRecord(loadFixture('s3-skipped-objects.json'), 'm-1')], testDeps());

    expect(logs.warn).toHaveBeenCalledWith('object skipped', {
      messageId: 'm-1',
      reason: 'invalid-dataset-name',
      bucket: 'glue-platform-dev-input-222222222222-eu-west-1',
      key: 'incoming/bad name!/data.csv',
    });
  });

  test('a body that is not a notification fails alone and is hurried to the DLQ', async () => {
    // Arrange
    const records = [sqsRecord('not json', 'bad'), ...oneMessagePerObject([{ key: 'incoming/sales/a.csv' }])];

    // Act
    const result = await processBatch(records, testDeps());

    // Assert
    expect(failedIds(result)).toEqual(['bad']);
    expect(result.runs).toHaveLength(1);
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [{ Id: '0', ReceiptHandle: 'receipt-bad-1', VisibilityTimeout: 0 }],
    });
  });

  test('a message naming objects of two datasets fails alone and nothing of it is started', async () => {
    const records = [
      sqsRecord(loadFixture('s3-two-datasets.json'), 'mixed'),
      ...oneMessagePerObject([{ key: 'incoming/sales/c.csv' }]),
    ];

    const result = await processBatch(records, testDeps());

    expect(failedIds(result)).toEqual(['mixed']);
    expect(result.counts.MultiDatasetMessages).toBe(1);
    expect(writtenManifests().flatMap(({ manifest }) => manifest.objects.map((item) => item.key))).toEqual([
      'incoming/sales/c.csv',
    ]);
  });
});

describe('failure semantics', () => {
  const threeDatasets = (): ReturnType<typeof oneMessagePerObject> =>
    oneMessagePerObject([
      { key: 'incoming/sales/a.csv' },
      { key: 'incoming/stock/b.csv' },
      { key: 'incoming/returns/c.csv' },
      { key: 'incoming/stock/d.csv' },
    ]);

  test.each(['ThrottlingException', 'InternalServiceException'])(
    'when Glue answers %s for one run exactly that run’s messages fail',
    async (name) => {
      // Arrange
      glueMock
        .on(StartJobRunCommand)
        .resolvesOnce({ JobRunId: 'jr_1' })
        .rejectsOnce(glueError(name))
        .resolves({
          JobRunId: 'jr_3',
        });

      // Act
      const result = await processBatch(threeDatasets(), testDeps());

      // Assert
      expect(failedIds(result)).toEqual(['m-1', 'm-3']);
      expect(result.runs.map((run) => run.jobRunId)).toEqual(['jr_1', 'jr_3']);
    },
  );

  test.each(['ConcurrentRunsExceededException', 'EntityNotFoundException'])(
    'when Glue answers %s the later manifests are not tried and their messages fail too',
    async (name) => {
      // Arrange
      glueMock.on(StartJobRunCommand).resolvesOnce({ JobRunId: 'jr_1' }).rejects(glueError(name));

      // Act
      const result = await processBatch(threeDatasets(), testDeps());

      // Assert
      expect(failedIds(result)).toEqual(['m-1', 'm-2', 'm-3']);
      expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 2);
    },
  );

  test('when the manifest cannot be written its run is not started and only its messages fail', async () => {
    // Arrange
    s3Mock
      .on(PutObjectCommand)
      .resolves({})
      .on(PutObjectCommand, { Key: 'manifests/stock/2026-11-23/manifest-2.json' })
      .rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {} }));

    // Act
    const result = await processBatch(threeDatasets(), testDeps());

    // Assert
    expect(failedIds(result)).toEqual(['m-1', 'm-3']);
    expect(startedManifestUris().some((uri) => uri.includes('/stock/'))).toBe(false);
    expect(result.counts.ManifestWriteFailures).toBe(1);
  });

  test('retryable failures are deferred with a backoff that grows with the receive count', async () => {
    // Arrange
    glueMock.on(StartJobRunCommand).rejects(glueError('ThrottlingException'));
    const records = [
      sqsRecord(notification({ key: 'incoming/sales/a.csv' }), 'first', 1),
      sqsRecord(notification({ key: 'incoming/sales/b.csv' }), 'third', 3),
    ];

    // Act
    await processBatch(records, testDeps({ random: () => 1 }));

    // Assert
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [
        { Id: '0', ReceiptHandle: 'receipt-first-1', VisibilityTimeout: 60 },
        { Id: '1', ReceiptHandle: 'receipt-third-3', VisibilityTimeout: 240 },
      ],
    });
  });

  test('a failure to defer a message is counted and the message still fails', async () => {
    glueMock.on(StartJobRunCommand).rejects(glueError('ThrottlingException'));
    sqsMock.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('AccessDenied'));

    const result = await processBatch(oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]), testDeps());

    expect([failedIds(result), result.counts.RetryDelayFailures]).toEqual([['m-0'], 1]);
  });

  test('with too little time left no run is started and every message fails', async () => {
    const result = await processBatch(threeDatasets(), testDeps({ remainingTimeMs: () => 5_000 }));

    expect(failedIds(result)).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
    expect(glueMock).not.toHaveReceivedAnyCommand();
    expect(result.counts.ChunksDeferredLowTime).toBe(3);
  });

  /** A real clock that runs out in `budgetMs`, with the time limits shrunk to fit it. */
  const shortInvocation = (budgetMs: number) => {
    const end = Date.now() + budgetMs;
    return {
      remainingTimeMs: () => end - Date.now(),
      timeLimits: { minRemainingToStartChunkMs: 300, minRemainingToStartRunMs: 200, returnReserveMs: 100 },
    };
  };

  test('a Glue call still pending near the timeout is abandoned; runs already started stay acknowledged', async () => {
    // Arrange
    glueMock
      .on(StartJobRunCommand)
      .resolvesOnce({ JobRunId: 'jr_1' })
      .callsFake(() => new Promise(() => undefined));
    const invocation = shortInvocation(1_000);

    // Act
    const result = await processBatch(threeDatasets(), testDeps(invocation));

    // Assert
    expect(invocation.remainingTimeMs()).toBeGreaterThan(0);
    expect(result.runs.map((run) => run.jobRunId)).toEqual(['jr_1']);
    expect(failedIds(result)).toEqual(['m-1', 'm-2', 'm-3']);
  });

  test('messages of a Glue call abandoned at the deadline are retried only after the longest delay', async () => {
    // The abandoned call may have started a run; retrying sooner would run the same files at the same time.
    glueMock.on(StartJobRunCommand).callsFake(() => new Promise(() => undefined));
    const records = oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]);
    const { timeLimits } = shortInvocation(0);

    const result = await processBatch(records, testDeps({ remainingTimeMs: () => 600, timeLimits }));

    expect(failedIds(result)).toEqual(['m-0']);
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [{ Id: '0', ReceiptHandle: 'receipt-m-0-1', VisibilityTimeout: 900 }],
    });
  });

  test('a manifest write still pending near the timeout fails only its messages and returns in time', async () => {
    s3Mock
      .on(PutObjectCommand)
      .resolves({})
      .on(PutObjectCommand, { Key: 'manifests/sales/2026-11-23/manifest-1.json' })
      .callsFake(() => new Promise(() => undefined));
    const invocation = shortInvocation(1_000);

    const result = await processBatch(threeDatasets(), testDeps(invocation));

    expect(invocation.remainingTimeMs()).toBeGreaterThan(0);
    expect(glueMock).not.toHaveReceivedAnyCommand();
    expect(failedIds(result)).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
  });

  test('when the manifest write leaves too little time for Glue, the run is not started', async () => {
    let remaining = 10_000;
    s3Mock.on(PutObjectCommand).callsFake(() => {
      remaining = 150;
      return Promise.resolve({});
    });
    const timeLimits = {
      minRemainingToStartChunkMs: 300,
      minRemainingToStartRunMs: 200,
      returnReserveMs: 100,
    };

    const result = await processBatch(
      oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]),
      testDeps({ remainingTimeMs: () => remaining, timeLimits }),
    );

    expect(glueMock).not.toHaveReceivedAnyCommand();
    expect([failedIds(result), result.counts.ChunksDeferredLowTime]).toEqual([['m-0'], 1]);
  });

  test('an unexpected error while handling one manifest fails only that manifest’s messages', async () => {
    // Arrange
    let calls = 0;
    const newManifestId = (): string => {
      calls += 1;
      if (calls === 2) throw new Error('bug in the id generator');
      return `manifest-${calls}`;
    };

    // Act
    const result = await processBatch(threeDatasets(), testDeps({ newManifestId }));

    // Assert
    expect(failedIds(result)).toEqual(['m-1', 'm-3']);
    expect(result.runs).toHaveLength(2);
  });

  test('a run pointer that cannot be written leaves the messages acknowledged and is reported loudly', async () => {
    // Arrange
    s3Mock
      .on(PutObjectCommand)
      .resolves({})
      .on(PutObjectCommand, { Key: 'manifests/sales/2026-11-23/manifest-1.run.json' })
      .rejects(new Error('KMS.ThrottlingException'));

    // Act
    const result = await processBatch(oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]), testDeps());

    // Assert
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.counts.RunPointerWriteFailures).toBe(1);
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringContaining('RUN POINTER NOT WRITTEN'),
      expect.objectContaining({ jobRunId: 'jr_1' }),
    );
  });
});

describe('traceability', () => {
  test('a pointer beside the manifest names the run that took it', async () => {
    await processBatch(oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]), testDeps());

    expect(writtenPointers()).toEqual([
      {
        key: 'manifests/sales/2026-11-23/manifest-1.run.json',
        body: {
          manifestKey: 'manifests/sales/2026-11-23/manifest-1.json',
          jobName: JOB_NAME,
          jobRunId: 'jr_1',
          startedAt: '2026-11-23T10:20:00.000Z',
          dataset: 'sales',
          objectCount: 1,
          messageIds: ['m-0'],
        },
      },
    ]);
  });

  test('every object handed to a run is logged with its key, version, manifest and run id', async () => {
    await processBatch(oneMessagePerObject([{ key: 'incoming/sales/a b.csv', versionId: 'v7' }]), testDeps());

    expect(logs.info).toHaveBeenCalledWith('object handed to Glue run', {
      bucket: 'glue-platform-dev-input-222222222222-eu-west-1',
      key: 'incoming/sales/a b.csv',
      versionId: 'v7',
      eTag: 'e'.repeat(32),
      dataset: 'sales',
      manifestKey: 'manifests/sales/2026-11-23/manifest-1.json',
      jobName: JOB_NAME,
      jobRunId: 'jr_1',
    });
  });

  test('every object not handed to a run is logged with the reason', async () => {
    glueMock.on(StartJobRunCommand).rejects(glueError('EntityNotFoundException'));

    await processBatch(oneMessagePerObject([{ key: 'incoming/sales/a.csv' }]), testDeps());

    expect(logs.warn).toHaveBeenCalledWith(
      'object not handed to a run; its message will be retried',
      expect.objectContaining({
        key: 'incoming/sales/a.csv',
        reason: 'Glue StartJobRun failed: EntityNotFoundException',
      }),
    );
  });
});
