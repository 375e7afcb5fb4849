import { S3_PREFIXES } from '@glue-platform/shared-constructs/contracts';

/**
 * Where reports go: under the assets bucket's `reports/`, beside the run reports. Free of the SDK, so the stack's
 * role and lifecycle rule name the same prefix.
 */
export const RECONCILIATION_REPORT_PREFIX = `${S3_PREFIXES.reports}reconciliation/`;

/** `20261130T113300Z`: sorts by time, so the last report is the last key. */
export const reportTimestamp = (at: Date): string =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** `reports/reconciliation/<timestamp>.json`. */
export const reportKey = (at: Date): string => `${RECONCILIATION_REPORT_PREFIX}${reportTimestamp(at)}.json`;
