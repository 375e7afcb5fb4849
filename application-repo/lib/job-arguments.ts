import { LEDGER_TABLE_JOB_ARGUMENT, MANIFEST_JOB_ARGUMENT } from '@glue-platform/shared-constructs';

/** Arguments every platform job receives from CDK; the scripts read them with `getResolvedOptions`. */
export const JOB_ARGUMENTS = {
  outputBucket: '--output_bucket',
  assetsBucket: '--assets_bucket',
  glueDatabase: '--glue_database',
} as const;

/** Glue settings the platform fixes for every job (set through default arguments). */
export const GLUE_SETTING_ARGUMENTS = {
  tempDir: '--TempDir',
  autoScaling: '--enable-auto-scaling',
  bookmarks: '--job-bookmark-option',
  /** Puts Glue's own Iceberg runtime (1.10.0 on Glue 5.1) on the class path. */
  datalakeFormats: '--datalake-formats',
  /** Spark settings that must be in place when the session starts (ICEBERG_SPARK_CONF). */
  sparkConf: '--conf',
} as const;

/**
 * The value of `--conf`: only Iceberg's SQL extensions, which Spark reads once when the session starts. The jobs
 * set the catalog options themselves at runtime, before their first query, so they live beside the code that
 * names the catalog (file_processor/spark_session.py).
 */
export const ICEBERG_SPARK_CONF =
  'spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions';

/** The dataset registry as JSON (`datasetsArgument`), given to `file_processor` only. */
export const DATASETS_ARGUMENT = '--datasets';

/** From the config's `tableMaintenance.snapshotRetentionDays`, given to `table_maintenance` only. */
export const SNAPSHOT_RETENTION_ARGUMENT = '--snapshot_retention_days';

/** The stage's file ledger table (`LEDGER_TABLE_JOB_ARGUMENT` of the contract), given to `file_processor` only. */
export const LEDGER_TABLE_ARGUMENT = LEDGER_TABLE_JOB_ARGUMENT;

/** The config's `fileLedger.retentionDays`: a ledger item's `expiresAt` after its terminal state, `file_processor` only. */
export const LEDGER_RETENTION_ARGUMENT = '--ledger_retention_days';

/** The namespace of the per-dataset file metrics (`fileMetricsNamespace`), given to `file_processor` only. */
export const FILE_METRICS_NAMESPACE_ARGUMENT = '--file_metrics_namespace';

/**
 * Set by the Glue L2 construct from typed props, or reserved by Glue itself; the construct throws on them,
 * the registry refuses them earlier with a message that says which prop owns them.
 */
const CONSTRUCT_ARGUMENTS = [
  '--job-language',
  '--extra-py-files',
  '--extra-jars',
  '--extra-files',
  '--user-jars-first',
  '--enable-metrics',
  '--enable-observability-metrics',
  '--enable-spark-ui',
  '--spark-event-logs-path',
  '--enable-continuous-cloudwatch-log',
  '--enable-continuous-log-filter',
  '--continuous-log-logGroup',
  '--continuous-log-logStreamPrefix',
  '--continuous-log-conversionPattern',
  '--debug',
  '--mode',
  '--JOB_NAME',
  '--endpoint',
] as const;

/** Argument names a registry entry may not set: the platform, the construct or the trigger owns them. */
export const PLATFORM_OWNED_ARGUMENTS: ReadonlySet<string> = new Set<string>([
  ...Object.values(JOB_ARGUMENTS),
  ...Object.values(GLUE_SETTING_ARGUMENTS),
  MANIFEST_JOB_ARGUMENT,
  DATASETS_ARGUMENT,
  SNAPSHOT_RETENTION_ARGUMENT,
  LEDGER_TABLE_ARGUMENT,
  LEDGER_RETENTION_ARGUMENT,
  FILE_METRICS_NAMESPACE_ARGUMENT,
  ...CONSTRUCT_ARGUMENTS,
]);
