import type { LedgerItem, LedgerStatus } from '@glue-platform/shared-constructs/contracts';

/** Where a file is on its way, in an operator's words. */
export const PHASES: Readonly<Record<LedgerStatus | 'uploaded', string>> = {
  uploaded: 'uploaded, waiting for the trigger',
  received: 'queued: the trigger has read its notification',
  claimed: 'claimed by a manifest, run starting',
  started: 'run started',
  succeeded: 'committed',
  quarantined: 'quarantined whole',
  failed: 'failed',
  skipped: 'skipped',
};

/** One line about an item: its phase, and what it holds once there. */
export function describeItem(item: LedgerItem): string {
  const phase = PHASES[item.status];
  switch (item.status) {
    case 'claimed':
      return `${phase} (manifest ${item.manifestId ?? '-'})`;
    case 'started':
      return `${phase} (${item.jobRunId ?? '-'})`;
    case 'succeeded':
      return `${phase}: ${item.rowsWritten ?? 0} rows written, ${item.rowsQuarantined ?? 0} quarantined (${item.jobRunId ?? '-'})`;
    case 'quarantined':
    case 'failed':
    case 'skipped':
      return `${phase}: ${item.reason ?? 'no reason recorded'}`;
    default:
      return phase;
  }
}

/** A file an operator must look at: its rows did not all reach the table. */
export const needsAttention = (item: LedgerItem): boolean =>
  item.status === 'failed' || item.status === 'quarantined';

export const s3UriOfItem = (item: LedgerItem): string => `s3://${item.bucket}/${item.key}`;
