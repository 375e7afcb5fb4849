import { MANIFEST_JOB_ARGUMENT } from '@glue-platform/shared-constructs';

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
} as const;

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
  ...CONSTRUCT_ARGUMENTS,
]);
