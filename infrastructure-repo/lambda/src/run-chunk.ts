import type { Manifest, ManifestObject } from '@glue-platform/shared-constructs/contracts';

import type { BatchBook, Failure } from './batch-book';
import type { Chunk } from './batch-plan';
import { claimStep } from './claim-step';
import { beforeDeadline, type Deadline } from './deadline';
import { errorMessage, errorName } from './errors';
import type { LedgerTable } from './ledger';
import { CLAIM_LEASE_SECONDS, markStarted, releaseClaims } from './ledger-claims';
import { planManifest, writeManifestStep, type ManifestPlan } from './manifest-step';
import { writePointerStep } from './pointer-step';
import type { BatchDeps } from './process-batch';
import { startRunStep } from './run-step';
import { logger } from './telemetry';

export interface StartedRun {
  readonly jobRunId: string;
  readonly manifestKey: string;
  readonly manifest: Manifest;
  readonly messageIds: readonly string[];
}

/** Glue answers that will be the same for every other manifest of this batch; later chunks are not tried. */
const JOB_LEVEL_ERRORS = new Set(['ConcurrentRunsExceededException', 'EntityNotFoundException']);

export const deadlineOf = (deps: BatchDeps): Deadline => ({
  remainingTimeMs: deps.remainingTimeMs,
  returnReserveMs: deps.timeLimits.returnReserveMs,
});

export const ledgerOf = (deps: BatchDeps): LedgerTable => ({
  client: deps.clients.ledger,
  tableName: deps.config.ledgerTableName,
  retentionDays: deps.config.ledgerRetentionDays,
});

/**
 * Gives claims back after a run that did not start. A release that fails leaves the claims to their lease, so the
 * messages wait for it rather than bounce off their own claims.
 */
const release = async (
  objects: readonly ManifestObject[],
  plan: ManifestPlan,
  deps: BatchDeps,
  book: BatchBook,
  failure: Failure,
): Promise<Failure> => {
  try {
    await beforeDeadline(deadlineOf(deps), (signal) =>
      releaseClaims(ledgerOf(deps), objects, plan.manifestId, deps.now(), signal),
    );
    return failure;
  } catch (error) {
    book.counts.LedgerWriteFailures += 1;
    logger.error('claims not released; their objects wait for the lease to end', {
      manifestKey: plan.key,
      errorName: errorName(error),
      error: errorMessage(error),
    });
    return { ...failure, minDelaySeconds: Math.max(failure.minDelaySeconds ?? 0, CLAIM_LEASE_SECONDS) };
  }
};

/** Claim, manifest, run, ledger, pointer for one chunk. Never throws. */
export const runChunk = async (
  chunk: Chunk,
  deps: BatchDeps,
  book: BatchBook,
): Promise<{ run?: StartedRun; jobLevelError?: string }> => {
  const { config, clients } = deps;
  const { counts } = book;
  const deadline = deadlineOf(deps);
  const createdAt = deps.now();
  const plan = planManifest(chunk, config.assetsBucketName, deps.newManifestId(createdAt), createdAt);

  let claimed: ManifestObject[];
  try {
    claimed = await claimStep(
      chunk,
      { dataset: chunk.dataset, manifestId: plan.manifestId, jobName: config.glueJobName, now: createdAt },
      ledgerOf(deps),
      clients,
      deadline,
      book,
    );
  } catch (error) {
    counts.LedgerWriteFailures += 1;
    logger.error('objects not claimed in the ledger; their messages will be retried', {
      manifestKey: plan.key,
      errorName: errorName(error),
      error: errorMessage(error),
    });
    // Claims written before the failure are this manifest's: give them back (or leave them to the lease).
    const failure = await release(chunk.objects, plan, deps, book, {
      reason: `ledger claim failed: ${errorName(error)}`,
      retryable: true,
    });
    book.failChunk(chunk, failure);
    return {};
  }
  if (claimed.length === 0) return {};

  if (chunk.oversized) {
    counts.OversizedMessages += 1;
    logger.warn(
      'a message (or messages linked by shared objects) exceeds a manifest cap; kept in one manifest',
      {
        manifestKey: plan.key,
        objects: chunk.objects.length,
        cap: config.maxObjectsPerManifest,
        bytes: chunk.bytes,
        byteCap: config.maxBytesPerManifest,
        messageIds: chunk.messageIds,
      },
    );
  }

  const written = await writeManifestStep(chunk, plan, claimed, config, clients, deadline);
  if (written.kind === 'invalid') {
    logger.error('manifest failed its schema; the messages will go to the DLQ', {
      error: errorMessage(written.error),
    });
    const failure = await release(claimed, plan, deps, book, {
      reason: `manifest invalid: ${errorMessage(written.error)}`,
      retryable: false,
    });
    book.failClaimed(chunk, claimed, failure);
    return {};
  }
  if (written.kind === 'not-written') {
    counts.ManifestWriteFailures += 1;
    logger.error('manifest not written; its messages will be retried', {
      manifestKey: plan.key,
      errorName: errorName(written.error),
      error: errorMessage(written.error),
    });
    const failure = await release(claimed, plan, deps, book, {
      reason: `manifest write failed: ${errorName(written.error)}`,
      retryable: true,
    });
    book.failClaimed(chunk, claimed, failure);
    return {};
  }
  counts.ManifestsWritten += 1;

  if (deps.remainingTimeMs() < deps.timeLimits.minRemainingToStartRunMs) {
    counts.ChunksDeferredLowTime += 1;
    logger.warn('Glue run not started: too little time left; the manifest is abandoned', {
      manifestKey: plan.key,
    });
    const failure = await release(claimed, plan, deps, book, {
      reason: 'not started: too little time left',
      retryable: true,
    });
    book.failClaimed(chunk, claimed, failure, plan.key);
    return {};
  }

  const outcome = await startRunStep(plan, config.glueJobName, clients, deadline);
  if (outcome.kind !== 'started') {
    const name = errorName(outcome.error);
    counts.GlueStartFailures += 1;
    logger.error('Glue run not started; the manifest is abandoned and its messages will be retried', {
      manifestKey: plan.key,
      jobName: config.glueJobName,
      errorName: name,
      error: errorMessage(outcome.error),
      startInDoubt: outcome.kind === 'in-doubt',
    });
    const reason = `Glue StartJobRun failed: ${name}`;
    if (outcome.kind === 'refused') {
      const failure = await release(claimed, plan, deps, book, { reason, retryable: true });
      book.failClaimed(chunk, claimed, failure, plan.key);
      return JOB_LEVEL_ERRORS.has(name) ? { jobLevelError: name } : {};
    }
    // The run may exist: the claims stay until their lease ends, and the retry looks the run up first. A start
    // in doubt is never a job-level answer (those are refusals), so later chunks are still tried.
    counts.GlueStartsInDoubt += 1;
    book.failClaimed(
      chunk,
      claimed,
      { reason, retryable: true, minDelaySeconds: CLAIM_LEASE_SECONDS },
      plan.key,
    );
    return {};
  }
  const { jobRunId } = outcome;
  if (outcome.foundByLookup) {
    counts.GlueStartsFoundByLookup += 1;
    logger.warn('StartJobRun answer lost; the run was found by its manifest', {
      manifestKey: plan.key,
      jobRunId,
    });
  }
  counts.GlueRunsStarted += 1;
  book.started(chunk, claimed, { manifestKey: plan.key, jobName: config.glueJobName, jobRunId });
  try {
    await beforeDeadline(deadline, (signal) =>
      markStarted(ledgerOf(deps), claimed, plan.manifestId, jobRunId, deps.now(), signal),
    );
  } catch (error) {
    // The run owns the objects: a later delivery finds the claim, looks the run up and records it.
    counts.LedgerWriteFailures += 1;
    logger.error('ledger not told the run started; the next look at these objects finds it by its manifest', {
      manifestKey: plan.key,
      jobRunId,
      errorName: errorName(error),
      error: errorMessage(error),
    });
  }
  await writePointerStep(
    {
      manifestKey: plan.key,
      jobName: config.glueJobName,
      jobRunId,
      startedAt: deps.now().toISOString(),
      dataset: chunk.dataset,
      objectCount: claimed.length,
      messageIds: chunk.messageIds,
    },
    config.assetsBucketName,
    clients,
    deadline,
    counts,
  );
  return {
    run: { jobRunId, manifestKey: plan.key, manifest: written.manifest, messageIds: chunk.messageIds },
  };
};
