import type { ManifestObject } from '@glue-platform/shared-constructs/contracts';
import type { SQSBatchResponse } from 'aws-lambda';

import { objectIdentity, type Chunk, type MessageWork } from './batch-plan';
import type { HeldObject } from './ledger-claims';
import type { SkippedObject } from './s3-notification';
import { emptyCounts, logger, type MetricCounts, type MetricName } from './telemetry';

/** Why a message goes back to the queue. */
export interface Failure {
  readonly reason: string;
  /** False when retrying cannot help (the message itself is wrong): it is hurried to the DLQ. */
  readonly retryable: boolean;
  /** Retry no sooner than this, whatever the receive count. */
  readonly minDelaySeconds?: number;
}

const SKIP_METRICS = {
  'not-object-created': 'SkippedNotObjectCreated',
  'folder-marker': 'SkippedFolderMarker',
  'not-incoming': 'SkippedNotIncoming',
  'not-csv': 'SkippedNotCsv',
  'no-dataset-folder': 'SkippedNoDatasetFolder',
  'invalid-dataset-name': 'SkippedInvalidDatasetName',
} as const satisfies Record<string, MetricName>;

/** What the ledger is told about an object that did not reach a claim. */
export interface UnclaimedObject {
  readonly object: ManifestObject;
  readonly dataset: string | null;
}

/** A skipped object with what the ledger needs to record it. */
export interface SkipRecord {
  readonly messageId: string;
  readonly object: ManifestObject;
  readonly dataset: string | null;
  readonly reason: string;
}

/** One sentence per reason, for the ledger item's `reason` (the metric and log keep the short code). */
const SKIP_EXPLANATIONS: Record<SkippedObject['reason'], string> = {
  'not-object-created': 'the event is not an ObjectCreated event',
  'folder-marker': 'the key ends in / (a folder marker)',
  'not-incoming': 'the key is outside incoming/',
  'not-csv': 'the key does not end in .csv (any case)',
  'no-dataset-folder': 'the key has no dataset folder under incoming/',
  'invalid-dataset-name': 'the dataset folder is not a valid dataset name',
};

/**
 * The one owner of an invocation's bookkeeping: the metric counts, which messages fail and why, and what the
 * ledger must still hear about. Every step reports to it instead of threading counts and failure maps around.
 * A message is acknowledged unless one of its objects failed: objects already in a run (a duplicate delivery)
 * or claimed here into a started run both count as done.
 */
export class BatchBook {
  readonly counts: MetricCounts = emptyCounts();
  readonly skipRecords: SkipRecord[] = [];
  /** Objects of failed messages that no claim covers: recorded as `received` at the end. */
  readonly unclaimed = new Map<string, UnclaimedObject>();
  /** Objects handed to started runs, per dataset (the `FilesReceived` file metric). */
  readonly filesReceived = new Map<string, number>();
  private readonly failures = new Map<string, Failure>();
  private readonly carriers = new Map<string, string[]>();

  constructor(messageCount: number) {
    this.counts.MessagesReceived = messageCount;
  }

  /** A message that can never succeed as it is (not a notification, several datasets). */
  reject(messageId: string, failure: Failure): void {
    this.failMessage(messageId, failure);
  }

  skip(messageId: string, skipped: SkippedObject): void {
    this.counts[SKIP_METRICS[skipped.reason]] += 1;
    logger.warn('object skipped', {
      messageId,
      reason: skipped.reason,
      bucket: skipped.bucket,
      key: skipped.key,
    });
    if (skipped.object) {
      this.skipRecords.push({
        messageId,
        object: skipped.object,
        dataset: skipped.dataset,
        reason: `${skipped.reason}: ${SKIP_EXPLANATIONS[skipped.reason]}`,
      });
    } else {
      this.counts.SkippedNotRecorded += 1;
    }
  }

  accept(work: MessageWork): void {
    this.counts.ObjectsAccepted += work.objects.length;
    for (const object of work.objects) {
      const identity = objectIdentity(object);
      this.carriers.set(identity, [...(this.carriers.get(identity) ?? []), work.messageId]);
    }
  }

  /** Sorts what a claim could not take: duplicates are acknowledged, objects another manifest holds are retried. */
  claim(
    chunk: Chunk,
    done: readonly HeldObject[],
    held: readonly (HeldObject & { retryInSeconds: number })[],
  ) {
    for (const { object, state } of done) {
      this.counts.DuplicateDeliveriesAcknowledged += 1;
      logger.info('object already in a run; this delivery is acknowledged without another', {
        bucket: object.bucket,
        key: object.key,
        versionId: object.versionId,
        eTag: object.eTag,
        dataset: chunk.dataset,
        status: state.status,
        manifestId: state.manifestId,
        jobRunId: state.jobRunId,
      });
    }
    for (const { object, state, retryInSeconds } of held) {
      this.counts.ClaimsHeldElsewhere += 1;
      this.failObject(
        object,
        {
          reason: `claimed by manifest ${state.manifestId ?? '(changing)'} whose run has not started yet`,
          retryable: true,
          minDelaySeconds: retryInSeconds,
        },
        chunk.dataset,
        false,
      );
    }
  }

  /** A chunk that failed before its objects were claimed: every message of it fails, duplicates included. */
  failChunk(chunk: Chunk, failure: Failure, manifestKey?: string): void {
    for (const messageId of chunk.messageIds) this.failMessage(messageId, failure);
    for (const object of chunk.objects) this.failObject(object, failure, chunk.dataset, true, manifestKey);
  }

  /** Claimed objects whose run did not start: their messages fail; the ledger already has their items. */
  failClaimed(
    chunk: Chunk,
    objects: readonly ManifestObject[],
    failure: Failure,
    manifestKey?: string,
  ): void {
    for (const object of objects) this.failObject(object, failure, chunk.dataset, false, manifestKey);
  }

  started(
    chunk: Chunk,
    objects: readonly ManifestObject[],
    run: { manifestKey: string; jobName: string; jobRunId: string },
  ) {
    this.counts.ObjectsHandedToRuns += objects.length;
    this.filesReceived.set(chunk.dataset, (this.filesReceived.get(chunk.dataset) ?? 0) + objects.length);
    for (const object of objects) {
      logger.info('object handed to Glue run', {
        bucket: object.bucket,
        key: object.key,
        versionId: object.versionId,
        eTag: object.eTag,
        dataset: chunk.dataset,
        manifestKey: run.manifestKey,
        jobName: run.jobName,
        jobRunId: run.jobRunId,
      });
    }
  }

  failureOf(messageId: string): Failure | undefined {
    return this.failures.get(messageId);
  }

  get failedCount(): number {
    return this.failures.size;
  }

  response(): SQSBatchResponse {
    return { batchItemFailures: [...this.failures.keys()].map((itemIdentifier) => ({ itemIdentifier })) };
  }

  private failObject(
    object: ManifestObject,
    failure: Failure,
    dataset: string,
    record: boolean,
    manifestKey?: string,
  ): void {
    this.counts.ObjectsNotHandedToRuns += 1;
    const identity = objectIdentity(object);
    for (const messageId of this.carriers.get(identity) ?? []) this.failMessage(messageId, failure);
    if (record) this.unclaimed.set(identity, { object, dataset });
    logger.warn('object not handed to a run; its message will be retried', {
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      eTag: object.eTag,
      dataset,
      manifestKey,
      reason: failure.reason,
    });
  }

  /** A message failed twice keeps the stricter answer: retried only if both allow it, after the longer delay. */
  private failMessage(messageId: string, failure: Failure): void {
    const earlier = this.failures.get(messageId);
    if (!earlier) {
      this.failures.set(messageId, failure);
      return;
    }
    const minDelaySeconds = Math.max(earlier.minDelaySeconds ?? 0, failure.minDelaySeconds ?? 0);
    this.failures.set(messageId, {
      reason: earlier.reason,
      retryable: earlier.retryable && failure.retryable,
      ...(minDelaySeconds > 0 ? { minDelaySeconds } : {}),
    });
  }
}
