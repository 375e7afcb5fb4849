import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import { RECONCILIATION_METRICS } from './metric-names';
import type { ReconciliationReport } from './report';

/** Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, set by the stack. */
export const logger = new Logger();

export const metrics = new Metrics();

/** All three metrics on every run, zeros included, so the dashboard shows the last run and not a gap. */
export const publishReportMetrics = (target: Metrics, report: ReconciliationReport): void => {
  target.addMetric(RECONCILIATION_METRICS.unreconciled, MetricUnit.Count, report.counts.unreconciled);
  target.addMetric(RECONCILIATION_METRICS.checked, MetricUnit.Count, report.counts.candidates);
  target.addMetric(RECONCILIATION_METRICS.incomplete, MetricUnit.Count, report.stoppedEarly ? 1 : 0);
  target.publishStoredMetrics();
};
