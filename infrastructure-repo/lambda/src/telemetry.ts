import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { FILE_METRIC_DIMENSION } from '@glue-platform/shared-constructs/contracts';

/**
 * The one logger of the trigger: every module logs through it so the Lambda context is on every line. Service
 * name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (the stack sets both and
 * readTriggerConfig insists on them), because options passed here would override the stack's choice.
 */
export const logger = new Logger();

export const metrics = new Metrics();

/**
 * Every metric the trigger emits (all counts, one EMF document per invocation). docs/operations.md lists what
 * each means; keep the two in step.
 */
export const METRIC_NAMES = [
  'MessagesReceived',
  'MessagesFailed',
  'InvalidMessages',
  'MultiDatasetMessages',
  'TestEvents',
  'SkippedNotObjectCreated',
  'SkippedFolderMarker',
  'SkippedNotIncoming',
  'SkippedNotCsv',
  'SkippedNoDatasetFolder',
  'SkippedInvalidDatasetName',
  'ObjectsAccepted',
  'DuplicateObjectsDropped',
  'ManifestsWritten',
  'ManifestWriteFailures',
  'GlueRunsStarted',
  'GlueStartFailures',
  'ObjectsHandedToRuns',
  'ObjectsNotHandedToRuns',
  'OversizedMessages',
  'ChunksDeferredLowTime',
  'RunPointerWriteFailures',
  'RetryDelayFailures',
  'SkippedNotRecorded',
  'DuplicateDeliveriesAcknowledged',
  'ClaimsHeldElsewhere',
  'ClaimsTakenOver',
  'GlueStartsInDoubt',
  'GlueStartsFoundByLookup',
  'LedgerWriteFailures',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Counts gathered during one invocation; published once at the end so a batch costs one EMF line. */
export type MetricCounts = Record<MetricName, number>;

export const emptyCounts = (): MetricCounts =>
  Object.fromEntries(METRIC_NAMES.map((name) => [name, 0])) as MetricCounts;

/** Publishes the non-zero counts (and always MessagesReceived, so every invocation has a data point). */
export const publishCounts = (target: Metrics, counts: MetricCounts): void => {
  for (const name of METRIC_NAMES) {
    if (counts[name] > 0 || name === 'MessagesReceived') {
      target.addMetric(name, MetricUnit.Count, counts[name]);
    }
  }
  target.publishStoredMetrics();
};

/**
 * The per-dataset file metrics (shared-constructs/src/contracts/file-metrics.ts) in their own namespace, with the
 * `Dataset` dimension only: the service dimension Powertools adds by default is cleared, because the alarms and
 * the dashboard find these metrics by exactly that one dimension.
 */
export const createFileMetrics = (namespace: string): Metrics => {
  const fileMetrics = new Metrics({ namespace });
  fileMetrics.clearDefaultDimensions();
  return fileMetrics;
};

/** One EMF document per dataset: `FilesReceived`, the objects handed to started runs. */
export const publishFilesReceived = (target: Metrics, filesReceived: ReadonlyMap<string, number>): void => {
  for (const [dataset, files] of filesReceived) {
    if (files === 0) continue;
    target.addDimension(FILE_METRIC_DIMENSION, dataset);
    target.addMetric('FilesReceived', MetricUnit.Count, files);
    target.publishStoredMetrics();
  }
};
