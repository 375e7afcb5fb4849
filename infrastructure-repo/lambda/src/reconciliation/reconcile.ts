import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  isTerminalStatus,
  LEDGER_STATUSES,
  type LedgerStatus,
  ledgerObjectKey,
  ledgerVersion,
  S3_PREFIXES,
} from '@glue-platform/shared-constructs/contracts';

import { ledgerKeyId, lookUpLedger, type LookupOptions } from './ledger-lookup';
import { type CandidateVersion, listCandidateVersions } from './list-versions';
import type { ReconciliationConfig } from './reconciliation-config';
import { type Finding, RECONCILIATION_REPORT_VERSION, type ReconciliationReport } from './report';

export interface ReconcileDeps {
  readonly config: ReconciliationConfig;
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly now: Date;
  /** False once no further listing page should be asked for. */
  readonly timeLeft: () => boolean;
  /** Retry settings of the ledger lookup (tests shrink the waits). */
  readonly lookup?: Omit<LookupOptions, 'tableName'>;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The ledger may hold a status this reader does not know (a newer writer); such a file is not known to have ended.
 */
const isKnownTerminal = (status: string): boolean =>
  (LEDGER_STATUSES as readonly string[]).includes(status) && isTerminalStatus(status as LedgerStatus);

/** `incoming/<dataset>/<file>` -> `<dataset>`; null for a file directly under `incoming/`. */
export const datasetOf = (key: string): string | null => {
  const rest = key.slice(S3_PREFIXES.incoming.length).split('/');
  return rest.length > 1 && rest[0] !== '' ? rest[0] : null;
};

/**
 * Every object version under `incoming/` older than the minimum age (and within the ledger retention), looked up
 * in the ledger; those without an item, or whose item is in no terminal state, are the findings. Catches what no
 * event reports: an upload whose notification never came.
 */
export const reconcile = async (deps: ReconcileDeps): Promise<ReconciliationReport> => {
  const { config, now } = deps;
  const newestChecked = new Date(now.getTime() - config.minAgeMinutes * MINUTE_MS);
  // A day's margin: an item written a little after the upload expires a little after it too.
  const oldestChecked = new Date(now.getTime() - (config.ledgerRetentionDays - 1) * DAY_MS);
  const listing = await listCandidateVersions(deps.s3, {
    bucket: config.inputBucketName,
    prefix: S3_PREFIXES.incoming,
    newestCandidate: newestChecked,
    oldestCandidate: oldestChecked,
    maxVersions: config.maxVersionsListed,
    timeLeft: deps.timeLeft,
  });

  const keyOf = (candidate: CandidateVersion) => ({
    objectKey: ledgerObjectKey(candidate.bucket, candidate.key),
    version: ledgerVersion(candidate.versionId, candidate.eTag),
  });
  const entries = await lookUpLedger(deps.dynamodb, listing.candidates.map(keyOf), {
    ...deps.lookup,
    tableName: config.ledgerTableName,
  });

  const findings: Finding[] = [];
  for (const candidate of listing.candidates) {
    const key = keyOf(candidate);
    const entry = entries.get(ledgerKeyId(key));
    if (entry && isKnownTerminal(entry.status)) continue;
    findings.push({
      ...key,
      bucket: candidate.bucket,
      key: candidate.key,
      versionId: candidate.versionId,
      eTag: candidate.eTag,
      size: candidate.size,
      dataset: datasetOf(candidate.key),
      lastModified: candidate.lastModified.toISOString(),
      isLatest: candidate.isLatest,
      reason: entry ? 'not-terminal' : 'no-ledger-item',
      ledgerStatus: entry?.status ?? null,
      ledgerUpdatedAt: entry?.updatedAt ?? null,
      jobRunId: entry?.jobRunId ?? null,
    });
  }

  const unreconciledByDataset: Record<string, number> = {};
  for (const finding of findings) {
    const dataset = finding.dataset ?? '(none)';
    unreconciledByDataset[dataset] = (unreconciledByDataset[dataset] ?? 0) + 1;
  }
  return {
    reportVersion: RECONCILIATION_REPORT_VERSION,
    generatedAt: now.toISOString(),
    bucket: config.inputBucketName,
    prefix: S3_PREFIXES.incoming,
    ledgerTable: config.ledgerTableName,
    newestChecked: newestChecked.toISOString(),
    oldestChecked: oldestChecked.toISOString(),
    minAgeMinutes: config.minAgeMinutes,
    counts: { ...listing.counts, unreconciled: findings.length },
    stoppedEarly: listing.stoppedEarly,
    unreconciledByDataset,
    findings,
  };
};
