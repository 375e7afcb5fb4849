/**
 * The per-dataset file metrics: what the trigger and the job publish to CloudWatch, and what the stage's alarms
 * and dashboard read. The trigger's own operational metrics stay in `<project>/<stage>/trigger`; these carry a
 * `Dataset` dimension so a dashboard can chart every dataset with one SEARCH expression.
 */
export const fileMetricsNamespace = (project: string, stage: string): string => `${project}/${stage}/files`;

/** The only dimension: the dataset's folder name under `incoming/`. */
export const FILE_METRIC_DIMENSION = 'Dataset';

/** Published by the trigger when a run starts for the objects it claimed (a claim given back is not counted). */
export const TRIGGER_FILE_METRICS = ['FilesReceived'] as const;

/** Published by the job once per run and dataset, after its commit (counts of that run). */
export const JOB_FILE_METRICS = [
  'FilesSucceeded',
  'FilesQuarantined',
  'FilesFailed',
  'FilesSkipped',
  'RowsRead',
  'RowsWritten',
  'RowsQuarantined',
] as const;

export type FileMetricName = (typeof TRIGGER_FILE_METRICS)[number] | (typeof JOB_FILE_METRICS)[number];
