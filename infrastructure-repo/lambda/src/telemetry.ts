import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

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
