import { manifestKey, manifestSchema, type Manifest } from '@glue-platform/shared-constructs/contracts';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';

import { putManifest, putRunPointer, runPointerKey, s3Uri, startJobRun } from './aws-calls';
import { datasetsOf, planChunks, type Chunk, type MessageWork } from './batch-plan';
import type { TriggerClients } from './clients';
import { beforeDeadline, DeadlineExceededError, type Deadline, type TimeLimits } from './deadline';
import { deferMessages, RETRY_MAX_SECONDS, retryDelaySeconds } from './retry-backoff';
import { parseMessageBody } from './s3-notification';
import { emptyCounts, logger, type MetricCounts, type MetricName } from './telemetry';
import type { TriggerConfig } from './trigger-config';

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

export interface StartedRun {
  readonly jobRunId: string;
  readonly manifestKey: string;
  readonly manifest: Manifest;
  readonly messageIds: readonly string[];
}

export interface BatchResult {
  readonly response: SQSBatchResponse;
  readonly counts: MetricCounts;
  readonly runs: readonly StartedRun[];
}

/** Glue answers that will be the same for every other manifest of this batch; later chunks are not tried. */
const JOB_LEVEL_ERRORS = new Set(['ConcurrentRunsExceededException', 'EntityNotFoundException']);

const SKIP_METRICS = {
  'not-object-created': 'SkippedNotObjectCreated',
  'folder-marker': 'SkippedFolderMarker',
  'not-incoming': 'SkippedNotIncoming',
  'not-csv': 'SkippedNotCsv',
  'no-dataset-folder': 'SkippedNoDatasetFolder',
  'invalid-dataset-name': 'SkippedInvalidDatasetName',
} as const satisfies Record<string, MetricName>;

interface Failure {
  readonly reason: string;
  /** False when retrying cannot help (the message itself is wrong): it is hurried to the DLQ. */
  readonly retryable: boolean;
  /** Retry no sooner than this, whatever the receive count. */
  readonly minDelaySeconds?: number;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Parses every message; returns the work to batch and records rejections and skips. */
const readMessages = (
  records: readonly SQSRecord[],
  counts: MetricCounts,
  failures: Map<string, Failure>,
): MessageWork[] => {
  const works: MessageWork[] = [];
  for (const record of records) {
    const { messageId } = record;
    const parsed = parseMessageBody(record.body);
    if (parsed.kind === 'test-event') {
      counts.TestEvents += 1;
      logger.info('S3 test event acknowledged; it names no object', { messageId });
      continue;
    }
    if (parsed.kind === 'invalid') {
      counts.InvalidMessages += 1;
      failures.set(messageId, { reason: parsed.reason, retryable: false });
      logger.error('message is not a valid S3 notification; it will go to the DLQ', {
        messageId,
        reason: parsed.reason,
        body: record.body.slice(0, 1000),
      });
      continue;
    }
    for (const skipped of parsed.skipped) {
      counts[SKIP_METRICS[skipped.reason]] += 1;
      logger.warn('object skipped', {
        messageId,
        reason: skipped.reason,
        bucket: skipped.bucket,
        key: skipped.key,
      });
    }
    const datasets = datasetsOf(parsed.accepted);
    if (datasets.length > 1) {
      const reason =
        `message names objects of ${datasets.length} datasets (${datasets.join(', ')}); S3 sends one object ` +
        'per message, so re-send one message per dataset';
      counts.MultiDatasetMessages += 1;
      failures.set(messageId, { reason, retryable: false });
      logger.error('message spans datasets; it will go to the DLQ', {
        messageId,
        reason,
        keys: parsed.accepted.map((item) => item.object.key),
      });
      continue;
    }
    const [dataset] = datasets;
    if (dataset === undefined) continue;
    counts.ObjectsAccepted += parsed.accepted.length;
    works.push({ messageId, dataset, objects: parsed.accepted.map((item) => item.object) });
  }
  return works;
};

const failChunk = (
  chunk: Chunk,
  failure: Failure,
  counts: MetricCounts,
  failures: Map<string, Failure>,
  manifestKeyIfWritten?: string,
): void => {
  counts.ObjectsNotHandedToRuns += chunk.objects.length;
  for (const messageId of chunk.messageIds) failures.set(messageId, failure);
  for (const object of chunk.objects) {
    logger.warn('object not handed to a run; its message will be retried', {
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      eTag: object.eTag,
      dataset: chunk.dataset,
      manifestKey: manifestKeyIfWritten,
      reason: failure.reason,
    });
  }
};

const deadlineOf = (deps: BatchDeps): Deadline => ({
  remainingTimeMs: deps.remainingTimeMs,
  returnReserveMs: deps.timeLimits.returnReserveMs,
});

/** Writes the manifest, starts the run, then records which run took it. Never throws. */
const runChunk = async (
  chunk: Chunk,
  deps: BatchDeps,
  counts: MetricCounts,
  failures: Map<string, Failure>,
): Promise<{ run?: StartedRun; jobLevelError?: string }> => {
  const { config, clients } = deps;
  const deadline = deadlineOf(deps);
  const createdAt = deps.now();
  const manifestId = deps.newManifestId(createdAt);
  const key = manifestKey(chunk.table, createdAt.toISOString(), manifestId);
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse({
      version: 1,
      manifestId,
      dataset: chunk.dataset,
      table: chunk.table,
      createdAt: createdAt.toISOString(),
      objects: chunk.objects,
    });
  } catch (error) {
    logger.error('manifest failed its schema; the messages will go to the DLQ', {
      error: errorMessage(error),
    });
    failChunk(
      chunk,
      { reason: `manifest invalid: ${errorMessage(error)}`, retryable: false },
      counts,
      failures,
    );
    return {};
  }
  if (chunk.oversized) {
    counts.OversizedMessages += 1;
    logger.warn(
      'a message (or messages linked by shared objects) exceeds a manifest cap; kept in one manifest',
      {
        manifestKey: key,
        objects: chunk.objects.length,
        cap: config.maxObjectsPerManifest,
        bytes: chunk.bytes,
        byteCap: config.maxBytesPerManifest,
        messageIds: chunk.messageIds,
      },
    );
  }
  try {
    await beforeDeadline(deadline, (signal) =>
      putManifest(clients.s3, config.assetsBucketName, key, manifest, signal),
    );
    counts.ManifestsWritten += 1;
  } catch (error) {
    counts.ManifestWriteFailures += 1;
    logger.error('manifest not written; its messages will be retried', {
      manifestKey: key,
      errorName: errorName(error),
      error: errorMessage(error),
    });
    failChunk(
      chunk,
      { reason: `manifest write failed: ${errorName(error)}`, retryable: true },
      counts,
      failures,
    );
    return {};
  }
  const manifestUri = s3Uri(config.assetsBucketName, key);
  if (deps.remainingTimeMs() < deps.timeLimits.minRemainingToStartRunMs) {
    counts.ChunksDeferredLowTime += 1;
    logger.warn('Glue run not started: too little time left; the manifest is abandoned', {
      manifestKey: key,
    });
    failChunk(chunk, { reason: 'not started: too little time left', retryable: true }, counts, failures, key);
    return {};
  }
  let jobRunId: string;
  try {
    jobRunId = await beforeDeadline(deadline, (signal) =>
      startJobRun(clients.glue, config.glueJobName, manifestUri, signal),
    );
  } catch (error) {
    const name = errorName(error);
    counts.GlueStartFailures += 1;
    logger.error('Glue run not started; the manifest is abandoned and its messages will be retried', {
      manifestKey: key,
      jobName: config.glueJobName,
      errorName: name,
      error: errorMessage(error),
    });
    // An abandoned call may still have started a run: retry only after such a run has had time to finish, so
    // the retry does not write the same objects at the same moment.
    const minDelaySeconds = error instanceof DeadlineExceededError ? RETRY_MAX_SECONDS : undefined;
    failChunk(
      chunk,
      { reason: `Glue StartJobRun failed: ${name}`, retryable: true, minDelaySeconds },
      counts,
      failures,
      key,
    );
    return JOB_LEVEL_ERRORS.has(name) ? { jobLevelError: name } : {};
  }
  counts.GlueRunsStarted += 1;
  counts.ObjectsHandedToRuns += chunk.objects.length;
  const startedAt = deps.now().toISOString();
  for (const object of chunk.objects) {
    logger.info('object handed to Glue run', {
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      eTag: object.eTag,
      dataset: chunk.dataset,
      manifestKey: key,
      jobName: config.glueJobName,
      jobRunId,
    });
  }
  try {
    const pointer = {
      manifestKey: key,
      jobName: config.glueJobName,
      jobRunId,
      startedAt,
      dataset: chunk.dataset,
      objectCount: chunk.objects.length,
      messageIds: chunk.messageIds,
    };
    await beforeDeadline(deadline, (signal) =>
      putRunPointer(clients.s3, config.assetsBucketName, pointer, signal),
    );
  } catch (error) {
    // The run owns the objects now: failing the messages would hand them to a second run.
    counts.RunPointerWriteFailures += 1;
    logger.error('RUN POINTER NOT WRITTEN: the run started and owns its objects; find them in these logs', {
      pointerKey: runPointerKey(key),
      manifestKey: key,
      jobRunId,
      errorName: errorName(error),
      error: errorMessage(error),
    });
  }
  return { run: { jobRunId, manifestKey: key, manifest, messageIds: chunk.messageIds } };
};

/**
 * One invocation: parse, plan chunks, run them one by one, and report exactly the messages whose objects did
 * not reach a started run. Powertools' BatchProcessor is not used: it calls a handler per record and fails or
 * keeps each record on its own, but here the unit of work is a chunk of many messages whose fate is shared
 * (one manifest, one run), known only after the whole batch is grouped.
 */
export const processBatch = async (records: readonly SQSRecord[], deps: BatchDeps): Promise<BatchResult> => {
  const counts = emptyCounts();
  counts.MessagesReceived = records.length;
  const failures = new Map<string, Failure>();
  const works = readMessages(records, counts, failures);
  const plan = planChunks(works, deps.config.maxObjectsPerManifest, deps.config.maxBytesPerManifest);
  counts.DuplicateObjectsDropped = plan.duplicatesDropped;

  const runs: StartedRun[] = [];
  let jobLevelError: string | undefined;
  for (const chunk of plan.chunks) {
    if (jobLevelError) {
      failChunk(
        chunk,
        { reason: `not tried: Glue answered ${jobLevelError}`, retryable: true },
        counts,
        failures,
      );
      continue;
    }
    if (deps.remainingTimeMs() < deps.timeLimits.minRemainingToStartChunkMs) {
      counts.ChunksDeferredLowTime += 1;
      failChunk(chunk, { reason: 'not tried: too little time left', retryable: true }, counts, failures);
      continue;
    }
    try {
      const outcome = await runChunk(chunk, deps, counts, failures);
      if (outcome.run) runs.push(outcome.run);
      jobLevelError = outcome.jobLevelError;
    } catch (error) {
      // runChunk catches every SDK answer; this is a bug. Fail this chunk only: an exception escaping here would
      // make Lambda retry the whole batch, runs already started included.
      logger.error('unexpected error while handling a manifest', { error: errorMessage(error) });
      failChunk(
        chunk,
        { reason: `unexpected error: ${errorMessage(error)}`, retryable: true },
        counts,
        failures,
      );
    }
  }

  await deferFailedMessages(records, failures, deps, counts);
  counts.MessagesFailed = failures.size;
  return {
    response: { batchItemFailures: [...failures.keys()].map((itemIdentifier) => ({ itemIdentifier })) },
    counts,
    runs,
  };
};

const deferFailedMessages = async (
  records: readonly SQSRecord[],
  failures: ReadonlyMap<string, Failure>,
  deps: BatchDeps,
  counts: MetricCounts,
): Promise<void> => {
  if (failures.size === 0) return;
  const deferred = records
    .filter((record) => failures.has(record.messageId))
    .map((record) => {
      const failure = failures.get(record.messageId);
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
    counts.RetryDelayFailures += notDeferred.length;
    logger.warn('retry delay not set; these messages come back after the queue visibility timeout', {
      notDeferred,
    });
  }
  for (const message of deferred) {
    logger.warn('message reported as a batch item failure', {
      messageId: message.messageId,
      reason: failures.get(message.messageId)?.reason,
      retryInSeconds: message.delaySeconds,
    });
  }
};
