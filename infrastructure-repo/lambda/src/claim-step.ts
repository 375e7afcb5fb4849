import type { ManifestObject } from '@glue-platform/shared-constructs/contracts';

import type { BatchBook } from './batch-book';
import type { Chunk } from './batch-plan';
import type { TriggerClients } from './clients';
import { beforeDeadline, type Deadline } from './deadline';
import { errorMessage, errorName } from './errors';
import type { LedgerTable } from './ledger';
import {
  claimObjects,
  leaseSecondsLeft,
  markStarted,
  type ClaimRequest,
  type HeldObject,
} from './ledger-claims';
import { findRunOfManifest } from './run-lookup';
import { logger } from './telemetry';

/** Runs started this long before a stale claim's last change cannot be its run. */
const LOOKUP_CLOCK_SLACK_MS = 60_000;

const byManifest = (held: readonly HeldObject[]): Map<string, HeldObject[]> => {
  const groups = new Map<string, HeldObject[]>();
  for (const item of held) {
    const id = item.state.manifestId ?? '';
    groups.set(id, [...(groups.get(id) ?? []), item]);
  }
  return groups;
};

/**
 * Claims the chunk's objects for the manifest. A claim another manifest holds past its lease is settled first:
 * if that manifest's run started after all (the claimant crashed before recording it), the ledger learns the run
 * and the object counts as done; if no run exists, the claim is taken over with a compare-and-swap. Reports
 * duplicates and held objects to the book; returns the objects now claimed. Throws on a ledger or Glue failure.
 */
export const claimStep = async (
  chunk: Chunk,
  request: ClaimRequest,
  ledger: LedgerTable,
  clients: TriggerClients,
  deadline: Deadline,
  book: BatchBook,
): Promise<ManifestObject[]> => {
  const first = await beforeDeadline(deadline, (signal) =>
    claimObjects(
      ledger,
      chunk.objects.map((object) => ({ object })),
      request,
      signal,
    ),
  );
  const claimed = [...first.claimed];
  const done = [...first.done];
  const held = [...first.held];
  const takeOver: HeldObject[] = [];
  for (const [manifestId, items] of byManifest(first.stale)) {
    const { state } = items[0];
    const jobName = state.jobName ?? request.jobName;
    let lookup;
    try {
      lookup = await beforeDeadline(deadline, (signal) =>
        findRunOfManifest(
          clients.glue,
          jobName,
          manifestId,
          new Date(Date.parse(state.updatedAt) - LOOKUP_CLOCK_SLACK_MS),
          signal,
        ),
      );
    } catch (error) {
      logger.warn('stale claim not settled: its run could not be looked up', {
        manifestId,
        errorName: errorName(error),
        error: errorMessage(error),
      });
      held.push(...items);
      continue;
    }
    if (lookup.kind === 'found') {
      book.counts.GlueStartsFoundByLookup += 1;
      const objects = items.map((item) => item.object);
      await beforeDeadline(deadline, (signal) =>
        markStarted(ledger, objects, manifestId, lookup.jobRunId, request.now, signal),
      );
      logger.info('stale claim settled: its run had started', { manifestId, jobRunId: lookup.jobRunId });
      done.push(
        ...items.map((item) => ({
          ...item,
          state: { ...item.state, status: 'started' as const, jobRunId: lookup.jobRunId },
        })),
      );
    } else if (lookup.kind === 'not-found') takeOver.push(...items);
    else held.push(...items);
  }
  if (takeOver.length > 0) {
    const second = await beforeDeadline(deadline, (signal) =>
      claimObjects(
        ledger,
        takeOver.map((item) => ({ object: item.object, expected: item.state })),
        request,
        signal,
      ),
    );
    book.counts.ClaimsTakenOver += second.claimed.length;
    for (const item of takeOver.filter((candidate) => second.claimed.includes(candidate.object))) {
      logger.warn('claim taken over: its manifest never started a run', {
        key: item.object.key,
        versionId: item.object.versionId,
        previousManifestId: item.state.manifestId,
        manifestId: request.manifestId,
      });
    }
    claimed.push(...second.claimed);
    done.push(...second.done);
    // Changed again since it was looked up: the next delivery looks again.
    held.push(...second.held, ...second.stale);
  }
  book.claim(
    chunk,
    done,
    held.map((item) => ({ ...item, retryInSeconds: leaseSecondsLeft(item.state, request.now) })),
  );
  return claimed;
};
