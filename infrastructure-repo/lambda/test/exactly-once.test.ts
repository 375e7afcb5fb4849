import {
  GetJobRunsCommand,
  InternalServiceException,
  StartJobRunCommand,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  ledgerObjectKey,
  ledgerVersion,
  parseLedgerItem,
  type LedgerItem,
} from '@glue-platform/shared-constructs/contracts';
import 'aws-sdk-client-mock-jest';

import { createClients } from '../src/clients';
import { CLAIM_LEASE_SECONDS, claimObjects } from '../src/ledger-claims';
import { processBatch } from '../src/process-batch';
import { ledgerOf } from '../src/run-chunk';

import {
  glueMock,
  glueRuns,
  ledger,
  ledgerMock,
  resetAwsMocks,
  sqsMock,
  startRun,
} from './support/aws-mocks';
import {
  captureLogs,
  INPUT_BUCKET,
  JOB_NAME,
  loadFixture,
  notification,
  oneMessagePerObject,
  sqsRecord,
  testDeps,
  type ObjectSpec,
} from './support/events';

beforeEach(() => {
  resetAwsMocks();
  captureLogs();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const failedIds = (result: { response: { batchItemFailures: { itemIdentifier: string }[] } }): string[] =>
  result.response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** The ledger item of an upload, read as the job and the CLI read it (an absent dataset is null). */
const itemOf = (spec: ObjectSpec): LedgerItem => {
  const raw = ledger.get(
    ledgerObjectKey(INPUT_BUCKET, spec.key),
    ledgerVersion(spec.versionId ?? null, spec.eTag ?? 'e'.repeat(32)),
  );
  if (!raw) throw new Error(`no ledger item for ${spec.key}`);
  return parseLedgerItem({ dataset: null, ...raw }, spec.key);
};

/** A clock the test moves: one minute after the fixed start by default. */
const clockAt = (start: string) => {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advanceSeconds: (seconds: number) => {
      now += seconds * 1000;
    },
  };
};

const manifestObject = (spec: ObjectSpec) => ({
  bucket: INPUT_BUCKET,
  key: spec.key,
  versionId: spec.versionId ?? null,
  eTag: spec.eTag ?? 'e'.repeat(32),
  size: spec.size ?? 100,
  eventTime: '2026-11-23T10:15:30.000Z',
});

const A = { key: 'incoming/sales/a.csv', versionId: 'v1' };
const B = { key: 'incoming/sales/b.csv', versionId: 'v2' };

describe('one object version, one started run', () => {
  test('two batches holding one object version start one run; the second delivery is acknowledged', async () => {
    const first = await processBatch([sqsRecord(notification(A), 'first')], testDeps());
    const second = await processBatch([sqsRecord(notification(A), 'again')], testDeps());

    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect([failedIds(first), failedIds(second)]).toEqual([[], []]);
    expect(second.counts.DuplicateDeliveriesAcknowledged).toBe(1);
    expect(itemOf(A)).toMatchObject({ status: 'started', jobRunId: 'jr_1', attempts: 1 });
  });

  test('a duplicate in a later batch beside a new object starts a run of the new object only', async () => {
    await processBatch([sqsRecord(notification(A), 'first')], testDeps());

    const later = await processBatch(oneMessagePerObject([A, B], 'later'), testDeps());

    expect(later.runs.map((run) => run.manifest.objects.map((object) => object.key))).toEqual([[B.key]]);
    expect(failedIds(later)).toEqual([]);
  });

  test('a StartJobRun whose answer was lost does not start a second run: the run is found by its manifest', async () => {
    // Glue starts the run, then the answer never arrives (a dropped connection after the request).
    glueMock.on(StartJobRunCommand).callsFake((input: { Arguments?: Record<string, string> }) => {
      glueRuns.push({ Id: 'jr_lost', Arguments: input.Arguments, StartedOn: new Date() });
      return Promise.reject(new InternalServiceException({ message: 'connection reset', $metadata: {} }));
    });

    const result = await processBatch([sqsRecord(notification(A), 'm-1')], testDeps());

    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect(glueMock).toHaveReceivedCommandWith(GetJobRunsCommand, { JobName: JOB_NAME });
    expect(result.runs.map((run) => run.jobRunId)).toEqual(['jr_lost']);
    expect([failedIds(result), result.counts.GlueStartsFoundByLookup]).toEqual([[], 1]);
    expect(itemOf(A)).toMatchObject({ status: 'started', jobRunId: 'jr_lost' });
  });

  test('a start in doubt at the deadline keeps its claim; the retry after the lease finds the run and starts none', async () => {
    // The run starts, but the answer comes too late for the invocation, which abandons the call.
    glueMock.on(StartJobRunCommand).callsFake((input: { Arguments?: Record<string, string> }) => {
      glueRuns.push({ Id: 'jr_late', Arguments: input.Arguments, StartedOn: new Date() });
      return new Promise(() => undefined);
    });
    const clock = clockAt('2026-11-23T10:20:00.000Z');
    const end = Date.now() + 600;
    const short = testDeps({
      now: clock.now,
      remainingTimeMs: () => end - Date.now(),
      timeLimits: { minRemainingToStartChunkMs: 300, minRemainingToStartRunMs: 200, returnReserveMs: 100 },
    });

    const first = await processBatch([sqsRecord(notification(A), 'm-1')], short);

    expect([failedIds(first), first.counts.GlueStartsInDoubt]).toEqual([['m-1'], 1]);
    expect(itemOf(A).status).toBe('claimed');

    clock.advanceSeconds(CLAIM_LEASE_SECONDS);
    const retry = await processBatch([sqsRecord(notification(A), 'm-1', 2)], {
      ...short,
      remainingTimeMs: () => 300_000,
      timeLimits: testDeps().timeLimits,
    });

    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect([failedIds(retry), retry.counts.GlueStartsFoundByLookup]).toEqual([[], 1]);
    expect(itemOf(A)).toMatchObject({ status: 'started', jobRunId: 'jr_late' });
  });

  test('a retry inside the lease of a start in doubt waits for the lease instead of starting a run', async () => {
    glueMock
      .on(StartJobRunCommand)
      .rejectsOnce(new InternalServiceException({ message: 'boom', $metadata: {} }))
      .callsFake(startRun);
    const clock = clockAt('2026-11-23T10:20:00.000Z');
    const deps = testDeps({ now: clock.now });
    await processBatch([sqsRecord(notification(A), 'm-1')], deps);
    sqsMock.resetHistory();

    clock.advanceSeconds(100);
    const early = await processBatch([sqsRecord(notification(A), 'm-1', 2)], deps);

    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect([failedIds(early), early.counts.ClaimsHeldElsewhere]).toEqual([['m-1'], 1]);
    expect(sqsMock).toHaveReceivedCommandWith(ChangeMessageVisibilityBatchCommand, {
      Entries: [expect.objectContaining({ VisibilityTimeout: CLAIM_LEASE_SECONDS - 100 })],
    });
  });

  test('a claim whose run never started (the claimant crashed) is taken over after the lease and run once', async () => {
    const clock = clockAt('2026-11-23T10:20:00.000Z');
    const deps = testDeps({ now: clock.now });
    // An earlier invocation claimed A for its manifest and died before StartJobRun.
    await claimObjects(ledgerOf(deps), [{ object: manifestObject(A) }], {
      dataset: 'sales',
      manifestId: 'crashed-1',
      jobName: JOB_NAME,
      now: clock.now(),
    });
    expect(itemOf(A)).toMatchObject({ status: 'claimed', manifestId: 'crashed-1' });

    clock.advanceSeconds(CLAIM_LEASE_SECONDS + 1);
    const retry = await processBatch([sqsRecord(notification(A), 'm-1', 2)], deps);

    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 1);
    expect([failedIds(retry), retry.counts.ClaimsTakenOver]).toEqual([[], 1]);
    expect(itemOf(A)).toMatchObject({ status: 'started', attempts: 2 });
  });

  test('a claim Glue refused is released at once, and the retry claims and runs it', async () => {
    glueMock
      .on(StartJobRunCommand)
      .rejectsOnce(new ThrottlingException({ message: 'rate', $metadata: {} }))
      .callsFake(startRun);
    const deps = testDeps();
    const refused = await processBatch([sqsRecord(notification(A), 'm-1')], deps);

    expect(failedIds(refused)).toEqual(['m-1']);
    expect(itemOf(A)).toMatchObject({ status: 'received', manifestId: null });

    const retry = await processBatch([sqsRecord(notification(A), 'm-1', 2)], deps);

    expect([failedIds(retry), retry.runs.length]).toEqual([[], 1]);
    expect(itemOf(A)).toMatchObject({ status: 'started', attempts: 2 });
  });

  test('StartJobRun is sent by a client that never retries on its own; lookups may retry', async () => {
    const clients = createClients();

    expect([await clients.glueStart.config.maxAttempts(), await clients.glue.config.maxAttempts()]).toEqual([
      1, 4,
    ]);
  });
});

describe('the ledger records every object read', () => {
  test('each claimed and started item satisfies the shared ledger contract', async () => {
    await processBatch(oneMessagePerObject([A, { key: 'incoming/sales/c.csv' }]), testDeps());

    expect(itemOf(A)).toMatchObject({
      status: 'started',
      dataset: 'sales',
      manifestId: 'manifest-1',
      jobName: JOB_NAME,
      receivedAt: '2026-11-23T10:20:00.000Z',
      expiresAt: Date.parse('2026-11-23T10:20:00.000Z') / 1000 + 400 * 86_400,
    });
    expect(itemOf({ key: 'incoming/sales/c.csv' }).version).toBe(`etag:${'e'.repeat(32)}`);
  });

  test('skipped uploads are recorded as skipped with their reason; a delete, which names no ETag, is only counted', async () => {
    const result = await processBatch([sqsRecord(loadFixture('s3-skipped-objects.json'), 'm-1')], testDeps());

    const skipped = [...ledger.items.values()].map((raw) => parseLedgerItem(raw));
    expect(failedIds(result)).toEqual([]);
    expect(skipped.map((item) => [item.key, item.status, item.dataset ?? null, item.reason]).sort()).toEqual([
      ['elsewhere/data.csv', 'skipped', null, 'not-incoming: the key is outside incoming/'],
      [
        'incoming/bad name!/data.csv',
        'skipped',
        null,
        'invalid-dataset-name: the dataset folder is not a valid dataset name',
      ],
      [
        'incoming/orphan.csv',
        'skipped',
        null,
        'no-dataset-folder: the key has no dataset folder under incoming/',
      ],
      ['incoming/sales/', 'skipped', 'sales', 'folder-marker: the key ends in / (a folder marker)'],
      ['incoming/sales/notes.txt', 'skipped', 'sales', 'not-csv: the key does not end in .csv (any case)'],
    ]);
    expect(result.counts.SkippedNotRecorded).toBe(1);
  });

  test('a skip that cannot be recorded retries its message', async () => {
    ledgerMock.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const result = await processBatch([sqsRecord(loadFixture('s3-skipped-objects.json'), 'm-1')], testDeps());

    expect([failedIds(result), result.counts.LedgerWriteFailures]).toEqual([['m-1'], 1]);
  });

  test('objects whose chunk was not tried are recorded as received', async () => {
    const result = await processBatch(
      oneMessagePerObject([A, B]),
      testDeps({ remainingTimeMs: () => 19_000 }),
    );

    expect(failedIds(result)).toEqual(['m-0', 'm-1']);
    expect([itemOf(A).status, itemOf(B).status]).toEqual(['received', 'received']);
  });

  test('a ledger that cannot be written fails the messages and starts no run', async () => {
    ledgerMock.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const result = await processBatch(oneMessagePerObject([A, B]), testDeps());

    expect(glueMock).not.toHaveReceivedCommand(StartJobRunCommand);
    expect([failedIds(result), result.counts.LedgerWriteFailures > 0]).toEqual([['m-0', 'm-1'], true]);
  });

  test('a thousand uploads cost a few dozen ledger calls, not thousands', async () => {
    const uploads = Array.from({ length: 1000 }, (_, index) => ({
      key: `incoming/sales/upload ${index}.csv`,
      versionId: `v${index}`,
    }));

    await processBatch(oneMessagePerObject(uploads), testDeps());

    // Claims and started marks: ten transactions of 100 each.
    expect([ledger.transactWriteCalls, ledger.batchGetCalls]).toEqual([20, 0]);
  });

  test('duplicates of earlier uploads spread through a batch cost a resend per transaction they meet and one read', async () => {
    const uploads = Array.from({ length: 1000 }, (_, index) => ({
      key: `incoming/sales/upload ${index}.csv`,
      versionId: `v${index}`,
    }));
    await processBatch(oneMessagePerObject(uploads.slice(0, 50), 'early'), testDeps());
    const before = ledger.calls;

    // 950 new uploads and the 50 earlier ones again, one in each stretch of 20.
    const mixed = uploads
      .slice(50)
      .flatMap((upload, index) => (index % 19 === 0 ? [uploads[index / 19], upload] : [upload]));
    const result = await processBatch(oneMessagePerObject(mixed, 'late'), testDeps());

    expect(result.counts.DuplicateDeliveriesAcknowledged).toBe(50);
    expect(glueMock).toHaveReceivedCommandTimes(StartJobRunCommand, 2);
    // 10 claim transactions, each resent without the duplicate it met; one read of the 50; 10 started marks.
    const calls = ledger.transactWriteCalls + ledger.batchGetCalls - before;
    expect([calls, ledger.batchGetCalls]).toEqual([31, 1]);
  });
});
