import type { SQSRecord } from 'aws-lambda';

import { BatchBook } from './batch-book';
import { datasetsOf, objectIdentity, planChunks, type MessageWork } from './batch-plan';
import type { TriggerClients } from './clients';
import { beforeDeadline, type TimeLimits } from './deadline';
import { errorMessage, errorName } from './errors';
import { recordReceived, recordSkipped } from './ledger-claims';
import { deferMessages, retryDelaySeconds } from './retry-backoff';
import { deadlineOf, ledgerOf, runChunk, type StartedRun } from './run-chunk';
import { parseMessageBody } from './s3-notification';
import { logger, type MetricCounts } from './telemetry';
import type { TriggerConfig } from './trigger-config';

export type { StartedRun } from './run-chunk';

/** Everything processBatch needs from the outside, injected so tests and the benchmark control it. */
export interface BatchDeps {
  readonly config: TriggerConfig;
  readonly clients: TriggerClients;
  readonly now: () => Date;
  /** Unique, and only `[A-Za-z0-9_.-]` (it is a file name). */
  readonly newManifestId: (createdAt: Date) => string;
  /** Milliseconds left before the function times out. */
  readonly remainingTimeMs: () => number;
  readonly timeLimits: TimeLimits;
  /** Jitter for the retry delay. */
  readonly random: () => number;
}

export interface BatchResult {
  readonly response: { batchItemFailures: { itemIdentifier: string }[] };
  readonly counts: MetricCounts;
  readonly runs: readonly StartedRun[];
  /** Objects handed to started runs, per dataset (the `FilesReceived` file metric). */
  readonly filesReceived: ReadonlyMap<string, number>;
}

/** Parses every message; returns the work to batch and tells the book about rejections and skips. */
const readMessages = (records: readonly SQSRecord[], book: BatchBook): MessageWork[] => {
  const works: MessageWork[] = [];
  for (const record of records) {
    const { messageId } = record;
    const parsed = parseMessageBody(record.body);
    if (parsed.kind === 'test-event') {
      book.counts.TestEvents += 1;
      logger.info('S3 test event acknowledged; it names no object', { messageId });
      continue;
    }
    if (parsed.kind === 'invalid') {
      book.counts.InvalidMessages += 1;
      book.reject(messageId, { reason: parsed.reason, retryable: false });
      logger.error('message is not a valid S3 notification; it will go to the DLQ', {
        messageId,
        reason: parsed.reason,
        body: record.body.slice(0, 1000),
      });
      continue;
    }
    for (const skipped of parsed.skipped) book.skip(messageId, skipped);
    const datasets = datasetsOf(parsed.accepted);
    if (datasets.length > 1) {
      const reason =
        `message names objects of ${datasets.length} datasets (${datasets.join(', ')}); S3 sends one object ` +
        'per message, so re-send one message per dataset';
      book.counts.MultiDatasetMessages += 1;
      book.reject(messageId, { reason, retryable: false });
      for (const item of parsed.accepted) book.unclaimed.set(objectIdentity(item.object), item);
      logger.error('message spans datasets; it will go to the DLQ', {
        messageId,
        reason,
        keys: parsed.accepted.map((item) => item.object.key),
      });
      continue;
    }
    const [dataset] = datasets;
    if (dataset === undefined) continue;
    const work = { messageId, dataset, objects: parsed.accepted.map((item) => item.object) };
    book.accept(work);
    works.push(work);
  }
  return works;
};

/** The skipped objects become `skipped` items; a message whose skips were not recorded is retried. */
const recordSkips = async (deps: BatchDeps, book: BatchBook): Promise<void> => {
  const unique = new Map(book.skipRecords.map((record) => [objectIdentity(record.object), record]));
  if (unique.size === 0) return;
  try {
    await beforeDeadline(deadlineOf(deps), (signal) =>
      recordSkipped(ledgerOf(deps), [...unique.values()], deps.now(), signal),
    );
  } catch (error) {
    book.counts.LedgerWriteFailures += 1;
    logger.error('skipped objects not recorded in the ledger; their messages will be retried', {
      errorName: errorName(error),
      error: errorMessage(error),
    });
    for (const record of book.skipRecords) {
      book.reject(record.messageId, { reason: `ledger write failed: ${errorName(error)}`, retryable: true });
    }
  }
};

/** Objects that reached no claim get a `received` item, so the ledger knows every object the trigger read. */
const recordUnclaimed = async (deps: BatchDeps, book: BatchBook): Promise<void> => {
  if (book.unclaimed.size === 0) return;
  try {
    await beforeDeadline(deadlineOf(deps), (signal) =>
      recordReceived(ledgerOf(deps), [...book.unclaimed.values()], deps.now(), signal),
    );
  } catch (error) {
    // Their messages fail already; the retry records them.
    book.counts.LedgerWriteFailures += 1;
    logger.warn('objects not recorded as received; their retried messages will record them', {
      objects: book.unclaimed.size,
      errorName: errorName(error),
      error: errorMessage(error),
    });
  }
};

/**
 * One invocation: parse, plan chunks, run them one by one, and report exactly the messages whose objects did
 * not reach a started run. Powertools' BatchProcessor is not used: it calls a handler per record and fails or
 * keeps each record on its own, but here the unit of work is a chunk of many messages whose fate is shared
 * (one manifest, one run), known only after the whole batch is grouped.
 */
export const processBatch = async (records: readonly SQSRecord[], deps: BatchDeps): Promise<BatchResult> => {
  const book = new BatchBook(records.length);
  const works = readMessages(records, book);
  const plan = planChunks(works, deps.config.maxObjectsPerManifest, deps.config.maxBytesPerManifest);
  book.counts.DuplicateObjectsDropped = plan.duplicatesDropped;
  await recordSkips(deps, book);

  const runs: StartedRun[] = [];
  let jobLevelError: string | undefined;
  for (const chunk of plan.chunks) {
    if (jobLevelError) {
      book.failChunk(chunk, { reason: `not tried: Glue answered ${jobLevelError}`, retryable: true });
      continue;
    }
    if (deps.remainingTimeMs() < deps.timeLimits.minRemainingToStartChunkMs) {
      book.counts.ChunksDeferredLowTime += 1;
      book.failChunk(chunk, { reason: 'not tried: too little time left', retryable: true });
      continue;
    }
    try {
      const outcome = await runChunk(chunk, deps, book);
      if (outcome.run) runs.push(outcome.run);
      jobLevelError = outcome.jobLevelError;
    } catch (error) {
      // runChunk catches every SDK answer; this is a bug. Fail this chunk only: an exception escaping here would
      // make Lambda retry the whole batch, runs already started included.
      logger.error('unexpected error while handling a manifest', { error: errorMessage(error) });
      book.failChunk(chunk, { reason: `unexpected error: ${errorMessage(error)}`, retryable: true });
    }
  }

  await recordUnclaimed(deps, book);
  await deferFailedMessages(records, deps, book);
  book.counts.MessagesFailed = book.failedCount;
  return { response: book.response(), counts: book.counts, runs, filesReceived: book.filesReceived };
};

const deferFailedMessages = async (
  records: readonly SQSRecord[],
  deps: BatchDeps,
  book: BatchBook,
): Promise<void> => {
  if (book.failedCount === 0) return;
  const deferred = records
    .filter((record) => book.failureOf(record.messageId))
    .map((record) => {
      const failure = book.failureOf(record.messageId);
      const retryable = failure?.retryable ?? true;
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      return {
        messageId: record.messageId,
        receiptHandle: record.receiptHandle,
        eventSourceARN: record.eventSourceARN,
        delaySeconds: retryable
          ? Math.max(retryDelaySeconds(receiveCount, deps.random), failure?.minDelaySeconds ?? 0)
          : 0,
      };
    });
  const notDeferred = await deferMessages(deps.clients.sqs, deferred, deadlineOf(deps));
  if (notDeferred.length > 0) {
    book.counts.RetryDelayFailures += notDeferred.length;
    logger.warn('retry delay not set; these messages come back after the queue visibility timeout', {
      notDeferred,
    });
  }
  for (const message of deferred) {
    logger.warn('message reported as a batch item failure', {
      messageId: message.messageId,
      reason: book.failureOf(message.messageId)?.reason,
      retryInSeconds: message.delaySeconds,
    });
  }
};
