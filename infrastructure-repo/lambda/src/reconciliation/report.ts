import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import type { ListingCounts } from './list-versions';
import { reportKey } from './report-location';

export const RECONCILIATION_REPORT_VERSION = 1;

/**
 * Why an upload is reported. `no-ledger-item`: nothing ever recorded it, so no notification reached the trigger
 * (a suffix the notification missed, a notification refused by a policy, a queue that stopped). `not-terminal`:
 * the trigger recorded it, but no run brought it to succeeded, quarantined, failed or skipped.
 */
export type FindingReason = 'no-ledger-item' | 'not-terminal';

export interface Finding {
  /** `bucket/key`, the ledger's partition key. */
  readonly objectKey: string;
  /** The ledger's sort key. */
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly eTag: string;
  readonly size: number;
  /** The folder under `incoming/`, or null for an object directly under it. */
  readonly dataset: string | null;
  readonly lastModified: string;
  readonly isLatest: boolean;
  readonly reason: FindingReason;
  /** The ledger status of a `not-terminal` finding, null for `no-ledger-item`. */
  readonly ledgerStatus: string | null;
  readonly ledgerUpdatedAt: string | null;
  readonly jobRunId: string | null;
}

export interface ReconciliationReport {
  readonly reportVersion: typeof RECONCILIATION_REPORT_VERSION;
  readonly generatedAt: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly ledgerTable: string;
  /** Versions last modified in [oldestChecked, newestChecked] were checked. */
  readonly newestChecked: string;
  readonly oldestChecked: string;
  readonly minAgeMinutes: number;
  readonly counts: ListingCounts & { readonly unreconciled: number };
  /** Null when every version under the prefix was listed; otherwise why the listing stopped. */
  readonly stoppedEarly: 'version-limit' | 'time-limit' | null;
  readonly unreconciledByDataset: Record<string, number>;
  readonly findings: readonly Finding[];
}

/** Writes the report (SSE-KMS by the bucket's default encryption) and returns its `s3://` URI. */
export const writeReport = async (
  s3: S3Client,
  bucket: string,
  report: ReconciliationReport,
  at: Date,
): Promise<string> => {
  const key = reportKey(at);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(report, null, 2),
      ContentType: 'application/json',
    }),
  );
  return `s3://${bucket}/${key}`;
};
