import type { Context } from 'aws-lambda';

import { createClients } from './clients';
import { reconcile } from './reconcile';
import { readReconciliationConfig } from './reconciliation-config';
import { writeReport } from './report';
import { logger, metrics, publishReportMetrics } from './telemetry';

// Read at cold start: a missing variable fails the init with an error naming it.
const config = readReconciliationConfig(process.env);
const clients = createClients();

/** No further listing page is asked for with less time left than this: the lookups and the report need it. */
export const LISTING_RESERVE_MS = 120_000;

export interface ReconciliationResult {
  readonly reportUri: string;
  readonly unreconciled: number;
  readonly stoppedEarly: string | null;
}

/**
 * On a schedule: every upload under `incoming/` old enough to have ended, checked against the ledger. Findings are
 * logged one line each and counted in the metric before the report is written, so a report that cannot be written
 * (the function then fails, and its error alarm fires) still leaves the findings behind.
 */
export const handler = async (_event: unknown, context: Context): Promise<ReconciliationResult> => {
  logger.addContext(context);
  const now = new Date();
  const report = await reconcile({
    config,
    ...clients,
    now,
    timeLeft: () => context.getRemainingTimeInMillis() > LISTING_RESERVE_MS,
  });
  for (const finding of report.findings) logger.warn('unreconciled object', { ...finding });
  if (report.stoppedEarly) {
    logger.warn('reconciliation stopped before the end of the listing; later keys were not checked', {
      stoppedEarly: report.stoppedEarly,
      versionsListed: report.counts.versionsListed,
    });
  }
  publishReportMetrics(metrics, report);
  const reportUri = await writeReport(clients.s3, config.assetsBucketName, report, now);
  logger.info('reconciliation done', { ...report.counts, stoppedEarly: report.stoppedEarly, reportUri });
  return { reportUri, unreconciled: report.counts.unreconciled, stoppedEarly: report.stoppedEarly };
};
