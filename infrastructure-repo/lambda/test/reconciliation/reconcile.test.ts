import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { ledgerObjectKey } from '@glue-platform/shared-constructs/contracts';
import 'aws-sdk-client-mock-jest';

import { datasetOf, reconcile, type ReconcileDeps } from '../../src/reconciliation/reconcile';
import type { ReconciliationConfig } from '../../src/reconciliation/reconciliation-config';

import {
  ASSETS_BUCKET,
  type BucketVersion,
  dynamodbMock,
  fakeBucket,
  fakeLedger,
  fixtureLedgerItems,
  INPUT_BUCKET,
  LEDGER_TABLE,
  resetFakes,
  s3Mock,
  versionOfItem,
} from './support/fakes';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const daysAgo = (days: number) => hoursAgo(days * 24);

const CONFIG: ReconciliationConfig = {
  inputBucketName: INPUT_BUCKET,
  ledgerTableName: LEDGER_TABLE,
  assetsBucketName: ASSETS_BUCKET,
  minAgeMinutes: 240,
  ledgerRetentionDays: 400,
  maxVersionsListed: 100_000,
};

const run = (overrides: Partial<ReconcileDeps> = {}, config: Partial<ReconciliationConfig> = {}) =>
  reconcile({
    config: { ...CONFIG, ...config },
    s3: new S3Client({ region: 'eu-west-1' }),
    dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
    now: NOW,
    timeLeft: () => true,
    lookup: { sleep: () => Promise.resolve(), random: () => 0.5 },
    ...overrides,
  });

const upload = (key: string, versionId: string, lastModified: Date, size = 100): BucketVersion => ({
  key,
  versionId,
  eTag: `"etag-of-${versionId}"`,
  size,
  lastModified,
});

const succeeded = (key: string, versionId: string) => ({
  objectKey: ledgerObjectKey(INPUT_BUCKET, key),
  version: versionId,
  status: 'succeeded' as const,
  updatedAt: NOW.toISOString(),
  jobRunId: 'jr_1',
});

beforeEach(() => {
  resetFakes();
});

describe('an upload whose notification never came', () => {
  test('is reported with no ledger item, beside uploads that reached their end', async () => {
    // Arrange: x.Csv never matched the old .csv / .CSV suffix filters, so nothing recorded it.
    fakeBucket([
      upload('incoming/sales/a.csv', 'v-a', hoursAgo(6)),
      upload('incoming/sales/x.Csv', 'v-x', hoursAgo(6)),
      upload('incoming/sales/b.csv', 'v-b', hoursAgo(5)),
    ]);
    fakeLedger([succeeded('incoming/sales/a.csv', 'v-a'), succeeded('incoming/sales/b.csv', 'v-b')]);

    // Act
    const report = await run();

    // Assert
    expect(report.findings).toEqual([
      {
        objectKey: `${INPUT_BUCKET}/incoming/sales/x.Csv`,
        version: 'v-x',
        bucket: INPUT_BUCKET,
        key: 'incoming/sales/x.Csv',
        versionId: 'v-x',
        eTag: 'etag-of-v-x',
        size: 100,
        dataset: 'sales',
        lastModified: hoursAgo(6).toISOString(),
        isLatest: true,
        reason: 'no-ledger-item',
        ledgerStatus: null,
        ledgerUpdatedAt: null,
        jobRunId: null,
      },
    ]);
    expect(report.counts).toEqual({
      versionsListed: 3,
      candidates: 3,
      folderMarkers: 0,
      tooRecent: 0,
      beyondRetention: 0,
      unreconciled: 1,
    });
    expect(report.unreconciledByDataset).toEqual({ sales: 1 });
    expect(report.stoppedEarly).toBeNull();
  });

  test('a compressed upload and one outside any dataset folder are reported too', async () => {
    fakeBucket([
      upload('incoming/sales/x.csv.gz', 'v-gz', hoursAgo(6)),
      upload('incoming/loose.csv', 'v-loose', hoursAgo(6)),
    ]);
    fakeLedger([]);

    const report = await run();

    expect(report.findings.map((f) => [f.key, f.reason, f.dataset])).toEqual([
      ['incoming/loose.csv', 'no-ledger-item', null],
      ['incoming/sales/x.csv.gz', 'no-ledger-item', 'sales'],
    ]);
    expect(report.unreconciledByDataset).toEqual({ sales: 1, '(none)': 1 });
  });
});

describe('the ledger fixture, one item of every status', () => {
  test('the items in a terminal state are reconciled; received, claimed and started are reported', async () => {
    // Arrange: the bucket holds every fixture object, old enough; the ledger holds every fixture item.
    const items = fixtureLedgerItems();
    fakeBucket(items.map((item) => versionOfItem(item, hoursAgo(10))));
    fakeLedger(items);

    // Act
    const report = await run();

    // Assert
    expect(report.findings.map((f) => [f.ledgerStatus, f.reason]).sort()).toEqual([
      ['claimed', 'not-terminal'],
      ['received', 'not-terminal'],
      ['started', 'not-terminal'],
    ]);
    expect(report.counts).toMatchObject({ candidates: items.length, unreconciled: 3 });
  });

  test('an object stored before the bucket kept versions is looked up by its ETag', async () => {
    const started = fixtureLedgerItems().find((item) => item.status === 'started');
    if (!started || started.versionId !== null)
      throw new Error('the fixture has no unversioned started item');
    fakeBucket([versionOfItem(started, hoursAgo(10))]);
    fakeLedger([{ ...started, status: 'succeeded' }]);

    const report = await run();

    expect(report.findings).toEqual([]);
    expect(dynamodbMock.commandCalls(BatchGetItemCommand)[0].args[0].input.RequestItems).toMatchObject({
      [LEDGER_TABLE]: { Keys: [{ objectKey: { S: started.objectKey }, version: { S: started.version } }] },
    });
  });
});

describe('what is not checked', () => {
  test('uploads younger than the minimum age, folder markers, delete markers and versions beyond the ledger retention', async () => {
    fakeBucket(
      [
        upload('incoming/sales/', 'v-folder', hoursAgo(100), 0),
        upload('incoming/sales/new.csv', 'v-new', hoursAgo(3)),
        upload('incoming/sales/ancient.csv', 'v-ancient', daysAgo(400)),
        upload('incoming/sales/old.csv', 'v-old', hoursAgo(5)),
      ],
      [{ key: 'incoming/sales/gone.csv', versionId: 'v-delete-marker' }],
    );
    fakeLedger([]);

    const report = await run();

    expect(report.findings.map((f) => f.key)).toEqual(['incoming/sales/old.csv']);
    expect(report.counts).toEqual({
      versionsListed: 4,
      candidates: 1,
      folderMarkers: 1,
      tooRecent: 1,
      beyondRetention: 1,
      unreconciled: 1,
    });
    expect(report.newestChecked).toBe(hoursAgo(4).toISOString());
    expect(report.oldestChecked).toBe(daysAgo(399).toISOString());
  });

  test('an upload exactly at the minimum age is checked', async () => {
    fakeBucket([upload('incoming/sales/edge.csv', 'v-edge', hoursAgo(4))]);
    fakeLedger([]);

    expect((await run()).counts.unreconciled).toBe(1);
  });

  test('an older version replaced before it was read is reconciled by its own skipped item', async () => {
    fakeBucket([
      { ...upload('incoming/sales/a.csv', 'v-old', hoursAgo(8)), isLatest: false },
      upload('incoming/sales/a.csv', 'v-new', hoursAgo(7)),
    ]);
    fakeLedger([
      { ...succeeded('incoming/sales/a.csv', 'v-old'), status: 'skipped' },
      { ...succeeded('incoming/sales/a.csv', 'v-new'), status: 'started' },
    ]);

    const report = await run();

    expect(report.findings.map((f) => [f.version, f.reason, f.ledgerStatus, f.isLatest])).toEqual([
      ['v-new', 'not-terminal', 'started', true],
    ]);
  });

  test('a status this reader does not know is not taken for an end', async () => {
    fakeBucket([upload('incoming/sales/a.csv', 'v-a', hoursAgo(8))]);
    fakeLedger([{ ...succeeded('incoming/sales/a.csv', 'v-a'), status: 'archived' as 'succeeded' }]);

    const report = await run();

    expect(report.findings.map((f) => [f.reason, f.ledgerStatus])).toEqual([['not-terminal', 'archived']]);
  });
});

describe('listing the bucket', () => {
  const many = (count: number): BucketVersion[] =>
    Array.from({ length: count }, (_, i) =>
      upload(`incoming/sales/f${String(i).padStart(4, '0')}.csv`, `v${i}`, hoursAgo(6)),
    );

  test('follows every page with the key and version-id markers S3 gives', async () => {
    fakeBucket(many(2500));
    fakeLedger([]);

    const report = await run();

    const calls = s3Mock.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => [c.Prefix, c.MaxKeys, c.KeyMarker, c.VersionIdMarker])).toEqual([
      ['incoming/', 1000, undefined, undefined],
      ['incoming/', 1000, 'incoming/sales/f0999.csv', 'v999'],
      ['incoming/', 1000, 'incoming/sales/f1999.csv', 'v1999'],
    ]);
    expect(report.counts.unreconciled).toBe(2500);
    expect(report.stoppedEarly).toBeNull();
  });

  test('stops at the version limit and says so', async () => {
    fakeBucket(many(2500));
    fakeLedger([]);

    const report = await run({}, { maxVersionsListed: 1500 });

    const calls = s3Mock.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.MaxKeys);
    expect(calls).toEqual([1000, 500]);
    expect(report.counts.versionsListed).toBe(1500);
    expect(report.stoppedEarly).toBe('version-limit');
  });

  test('stops when time runs short and says so', async () => {
    fakeBucket(many(2500));
    fakeLedger([]);
    let pages = 0;

    const report = await run({ timeLeft: () => (pages += 1) <= 2 });

    expect(s3Mock).toHaveReceivedCommandTimes(ListObjectVersionsCommand, 2);
    expect(report.counts.versionsListed).toBe(2000);
    expect(report.stoppedEarly).toBe('time-limit');
  });

  test('a page that says there is more without a marker fails the run instead of looping', async () => {
    s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: [], IsTruncated: true });

    await expect(run()).rejects.toThrow(/said there is more but gave no NextKeyMarker/);
  });
});

describe('looking up the ledger', () => {
  const uploads = (count: number) =>
    Array.from({ length: count }, (_, i) => upload(`incoming/sales/f${i}.csv`, `v${i}`, hoursAgo(6)));

  test('asks for at most 100 keys per BatchGetItem', async () => {
    fakeBucket(uploads(250));
    fakeLedger(uploads(250).map((u) => succeeded(u.key, u.versionId)));

    const report = await run();

    const sizes = dynamodbMock
      .commandCalls(BatchGetItemCommand)
      .map((c) => c.args[0].input.RequestItems?.[LEDGER_TABLE]?.Keys?.length)
      .sort();
    expect(sizes).toEqual([100, 100, 50]);
    expect(report.findings).toEqual([]);
  });

  test('asks again for the keys DynamoDB left unprocessed, with growing waits', async () => {
    fakeBucket(uploads(3));
    fakeLedger(
      uploads(3).map((u) => succeeded(u.key, u.versionId)),
      { unprocessedTimes: 2 },
    );
    const waits: number[] = [];

    const report = await run({
      lookup: { sleep: (ms) => Promise.resolve(void waits.push(ms)), random: () => 1 },
    });

    expect(report.findings).toEqual([]);
    expect(dynamodbMock).toHaveReceivedCommandTimes(BatchGetItemCommand, 3);
    expect(waits).toEqual([100, 200]);
  });

  test('keys still unprocessed after the last attempt fail the run rather than be reported or dropped', async () => {
    fakeBucket(uploads(3));
    fakeLedger([], { unprocessedTimes: 100 });

    await expect(
      run({ lookup: { maxAttempts: 3, sleep: () => Promise.resolve(), random: () => 0 } }),
    ).rejects.toThrow(/left 3 key\(s\) unprocessed after 3 attempts/);
    expect(dynamodbMock).toHaveReceivedCommandTimes(BatchGetItemCommand, 3);
  });

  test('a refused lookup fails the run', async () => {
    fakeBucket(uploads(1));
    dynamodbMock.on(BatchGetItemCommand).rejects(new Error('AccessDeniedException: kms:Decrypt'));

    await expect(run()).rejects.toThrow(/AccessDeniedException/);
  });
});

describe('the dataset of a key', () => {
  test.each([
    ['incoming/sales/a.csv', 'sales'],
    ['incoming/sales/2026/11/a.csv', 'sales'],
    ['incoming/a.csv', null],
    ['incoming//a.csv', null],
  ])('%s -> %s', (key, dataset) => {
    expect(datasetOf(key)).toBe(dataset);
  });
});
