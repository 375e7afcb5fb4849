/** Column types a dataset may declare: Hive/Glue type strings, which Spark's DDL parser reads as well. */
export const SIMPLE_COLUMN_TYPES = [
  'string',
  'boolean',
  'int',
  'bigint',
  'double',
  'date',
  'timestamp',
] as const;

/** Decimals are always precision 38 (room for any integer part); the scale is the dataset's choice. */
export const DECIMAL_PRECISION = 38;
export const MAX_DECIMAL_SCALE = 18;

/** `decimal(38,S)` with a scale from 0 to MAX_DECIMAL_SCALE, written without spaces or leading zeros. */
export type DecimalColumnType = `decimal(38,${number})`;
export type ColumnType = (typeof SIMPLE_COLUMN_TYPES)[number] | DecimalColumnType;

/** What a newer S3 version of an already processed key does to the rows of the older version. */
export type NewVersionPolicy = 'replace' | 'append';

/** Used for every field a dataset entry leaves out, and by the job for a dataset without an entry. */
export const DATASET_DEFAULTS = {
  newVersion: 'replace',
  quarantineRatioThreshold: 0.05,
} as const satisfies { newVersion: NewVersionPolicy; quarantineRatioThreshold: number };

/**
 * Columns the job adds to every row; a dataset cannot declare them because the job owns their values.
 * The Python job names the same columns (file_processor/table_schema.py).
 */
export const JOB_COLUMNS = [
  'processed_at',
  'source_file',
  'source_key',
  'source_version',
  'processing_job',
] as const;

/**
 * One dataset of the registry: the files users drop under `incoming/<dataset>/` and the Iceberg table they
 * become (`datasetTableName(dataset)`). A dataset without an entry is still processed, with inferred types and
 * the defaults.
 */
export interface DatasetDefinition {
  /** The folder name under `incoming/`, as users upload it (case and punctuation kept). */
  readonly dataset: string;
  /**
   * Declared column types, keyed by the normalized column name (lowercase snake_case, as the job renames
   * headers); a declared type wins over the type inferred from the sample, and rows that do not fit it are
   * quarantined.
   * @default - every column's type is inferred
   */
  readonly columns?: Readonly<Record<string, ColumnType>>;
  /**
   * `replace`: the rows of a newer version of a key replace the rows of the older version. `append`: both are kept.
   * @default 'replace'
   */
  readonly newVersion?: NewVersionPolicy;
  /**
   * The largest share of a run's rows (from 0 to 1) that may go to quarantine before the job flags the run.
   * @default 0.05
   */
  readonly quarantineRatioThreshold?: number;
}
