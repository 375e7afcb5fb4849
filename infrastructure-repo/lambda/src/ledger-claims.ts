import {
  isTerminalStatus,
  LEDGER_ITEM_VERSION,
  type ManifestObject,
} from '@glue-platform/shared-constructs/contracts';

import {
  expiresAt,
  keyText,
  ledgerKeyOf,
  objectAttributes,
  readStates,
  RUN_RESULT_ATTRIBUTES,
  writeConditionally,
  type LedgerState,
  type LedgerTable,
  type LedgerWrite,
} from './ledger';
import { RETRY_MAX_SECONDS } from './retry-backoff';

/**
 * How long a claim protects its object from other claimants: Lambda's longest timeout. The claimant's every call,
 * StartJobRun included, is abandoned before its own timeout (deadline.ts), so once this has passed since the claim
 * its run has either started or never will; a later claimant looks the run up before taking the claim over.
 */
export const CLAIM_LEASE_SECONDS = RETRY_MAX_SECONDS;

/** Who claims, for which run. */
export interface ClaimRequest {
  readonly dataset: string;
  readonly manifestId: string;
  readonly jobName: string;
  readonly now: Date;
}

/** An object another manifest holds, as the ledger says. */
export interface HeldObject {
  readonly object: ManifestObject;
  readonly state: LedgerState;
}

export interface ClaimResult {
  /** Claimed for this manifest. */
  readonly claimed: ManifestObject[];
  /** Already in a started run (or past it): a duplicate delivery, acknowledged without a run. */
  readonly done: HeldObject[];
  /** Claimed by another manifest within its lease: that claimant's message still carries it. */
  readonly held: HeldObject[];
  /** Claimed by another manifest whose lease ran out: its run must be looked up before the claim is taken. */
  readonly stale: HeldObject[];
  readonly calls: number;
}

/** A claim made when the claimant has seen the item in `expected` (a stale claim it has looked up), or fresh. */
export interface ClaimCandidate {
  readonly object: ManifestObject;
  readonly expected?: LedgerState;
}

/** Rounds of claim and read-back: an item that keeps changing under us is left to the message's retry. */
const CLAIM_ROUNDS = 3;

/** What every claim of one request writes besides the object's own attributes; computed once per request. */
const claimConstants = (request: ClaimRequest, table: LedgerTable) => ({
  now: request.now.toISOString(),
  expiresAt: expiresAt(table, request.now),
});

/** One object literal of a fixed shape per claim: spreading two objects per item cost more than the claim call. */
const claimWrite = (
  candidate: ClaimCandidate,
  request: ClaimRequest,
  constants: ReturnType<typeof claimConstants>,
): LedgerWrite => {
  const { object, expected } = candidate;
  return {
    key: ledgerKeyOf(object),
    set: {
      itemVersion: LEDGER_ITEM_VERSION,
      bucket: object.bucket,
      key: object.key,
      versionId: object.versionId,
      eTag: object.eTag,
      size: object.size,
      dataset: request.dataset,
      status: 'claimed',
      reason: null,
      updatedAt: constants.now,
      manifestId: request.manifestId,
      jobName: request.jobName,
      jobRunId: null,
      rowsRead: null,
      rowsWritten: null,
      rowsQuarantined: null,
      snapshotId: null,
      reportUri: null,
      expiresAt: constants.expiresAt,
    },
    setIfAbsent: { eventTime: object.eventTime, receivedAt: constants.now },
    increment: 'attempts',
    condition:
      expected?.manifestId != null
        ? {
            kind: 'held-by',
            status: 'claimed',
            manifestId: expected.manifestId,
            updatedAt: expected.updatedAt,
          }
        : { kind: 'new-or-status', status: 'received' },
  };
};

const leaseEnded = (state: LedgerState, now: Date): boolean =>
  Date.parse(state.updatedAt) + CLAIM_LEASE_SECONDS * 1000 <= now.getTime();

/** Seconds until a held claim's lease ends (at least 1). */
export const leaseSecondsLeft = (state: LedgerState, now: Date): number =>
  Math.max(1, Math.ceil((Date.parse(state.updatedAt) + CLAIM_LEASE_SECONDS * 1000 - now.getTime()) / 1000));

/**
 * Claims each object for one manifest with a conditional write: an object no one holds (no item, or `received`)
 * or a stale claim the caller has looked up. Objects whose condition fails are read back and sorted into done,
 * held and stale; one that went back to `received` meanwhile is tried again.
 */
export const claimObjects = async (
  table: LedgerTable,
  candidates: readonly ClaimCandidate[],
  request: ClaimRequest,
  abortSignal?: AbortSignal,
): Promise<ClaimResult> => {
  const result: ClaimResult = { claimed: [], done: [], held: [], stale: [], calls: 0 };
  let calls = 0;
  let pending = [...candidates];
  const constants = claimConstants(request, table);
  for (let round = 0; round < CLAIM_ROUNDS && pending.length > 0; round += 1) {
    const writes = pending.map((candidate) => claimWrite(candidate, request, constants));
    const outcome = await writeConditionally(table, writes, abortSignal);
    calls += outcome.calls;
    result.claimed.push(...outcome.written.map((index) => pending[index].object));
    const rejected = outcome.rejected.map((index) => pending[index]);
    pending = [];
    if (rejected.length === 0) break;
    const read = await readStates(
      table,
      rejected.map((candidate) => ledgerKeyOf(candidate.object)),
      abortSignal,
    );
    calls += read.calls;
    for (const candidate of rejected) {
      const state = read.states.get(keyText(ledgerKeyOf(candidate.object)));
      if (state === undefined || state.status === 'received') pending.push({ object: candidate.object });
      else if (state.status === 'started' || isTerminalStatus(state.status)) {
        result.done.push({ object: candidate.object, state });
      } else if (state.manifestId === request.manifestId) {
        // Our own claim whose answer was lost on the way back: it holds.
        result.claimed.push(candidate.object);
      } else if (leaseEnded(state, request.now)) result.stale.push({ object: candidate.object, state });
      else result.held.push({ object: candidate.object, state });
    }
  }
  // Still changing after every round: left to the retry as if held.
  for (const candidate of pending) {
    result.held.push({
      object: candidate.object,
      state: {
        status: 'claimed',
        manifestId: null,
        jobName: null,
        jobRunId: null,
        updatedAt: request.now.toISOString(),
      },
    });
  }
  return { ...result, calls };
};

/** The manifest's claims go back to `received`, so the messages' retry claims them at once. */
export const releaseClaims = (
  table: LedgerTable,
  objects: readonly ManifestObject[],
  manifestId: string,
  now: Date,
  abortSignal?: AbortSignal,
) =>
  writeConditionally(
    table,
    objects.map((object) => ({
      key: ledgerKeyOf(object),
      set: { status: 'received', manifestId: null, jobName: null, updatedAt: now.toISOString() },
      condition: { kind: 'held-by', status: 'claimed', manifestId },
    })),
    abortSignal,
  );

/** The objects claimed by `manifestId` are in the run `jobRunId`. */
export const markStarted = (
  table: LedgerTable,
  objects: readonly ManifestObject[],
  manifestId: string,
  jobRunId: string,
  now: Date,
  abortSignal?: AbortSignal,
) => {
  const updatedAt = now.toISOString();
  return writeConditionally(
    table,
    objects.map((object) => ({
      key: ledgerKeyOf(object),
      set: { status: 'started', jobRunId, updatedAt },
      condition: { kind: 'held-by', status: 'claimed', manifestId },
    })),
    abortSignal,
  );
};

/** First sight of objects that did not reach a claim: an item in `received`, never over an existing one. */
export const recordReceived = (
  table: LedgerTable,
  objects: readonly { readonly object: ManifestObject; readonly dataset: string | null }[],
  now: Date,
  abortSignal?: AbortSignal,
) =>
  writeConditionally(
    table,
    objects.map(({ object, dataset }) => ({
      key: ledgerKeyOf(object),
      set: {
        ...objectAttributes(object, dataset),
        status: 'received',
        reason: null,
        eventTime: object.eventTime,
        receivedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        manifestId: null,
        jobName: null,
        ...RUN_RESULT_ATTRIBUTES,
        attempts: 0,
        expiresAt: expiresAt(table, now),
      },
      condition: { kind: 'new' },
    })),
    abortSignal,
  );

/**
 * Objects the trigger does not process, with the reason; a repeated notification rewrites its own `skipped` item
 * and never touches an item of another status.
 */
export const recordSkipped = (
  table: LedgerTable,
  objects: readonly {
    readonly object: ManifestObject;
    readonly dataset: string | null;
    readonly reason: string;
  }[],
  now: Date,
  abortSignal?: AbortSignal,
) =>
  writeConditionally(
    table,
    objects.map(({ object, dataset, reason }) => ({
      key: ledgerKeyOf(object),
      set: {
        ...objectAttributes(object, dataset),
        status: 'skipped',
        reason,
        eventTime: object.eventTime,
        updatedAt: now.toISOString(),
        manifestId: null,
        jobName: null,
        ...RUN_RESULT_ATTRIBUTES,
        attempts: 0,
        expiresAt: expiresAt(table, now),
      },
      setIfAbsent: { receivedAt: now.toISOString() },
      condition: { kind: 'new-or-status', status: 'skipped' },
    })),
    abortSignal,
  );
