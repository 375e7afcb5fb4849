/** What the trigger needs from its environment; read once at cold start. */
export interface TriggerConfig {
  /** Assets bucket: manifests and run pointers go under `manifests/`. */
  readonly assetsBucketName: string;
  /** The Glue job started once per manifest. */
  readonly glueJobName: string;
  /** Cap on objects per manifest; a dataset with more objects in one batch is split over several runs. */
  readonly maxObjectsPerManifest: number;
  /** Cap on the summed object sizes of a manifest, in bytes; a dataset with more is split over several runs. */
  readonly maxBytesPerManifest: number;
  /** The stage's file ledger (DynamoDB): one item per object version, claimed before a run starts. */
  readonly ledgerTableName: string;
  /** How long a ledger item is kept after its last change by the trigger (its `expiresAt`). */
  readonly ledgerRetentionDays: number;
  /** CloudWatch namespace of the per-dataset file metrics (`FilesReceived`), shared with the job and alarms. */
  readonly fileMetricsNamespace: string;
}

export const DEFAULT_MAX_OBJECTS_PER_MANIFEST = 1000;

/**
 * 20 GiB, so that one run fits the file_processor job's 2-hour timeout on its 10 G.1X workers with a wide
 * margin. 10 workers are 1 driver and 9 executors of 4 vCPUs: 36 tasks at once. At a pessimistic 2 MiB/s per
 * task to parse, validate and write CSV, one pass over 20 GiB takes 20,480 MiB / (36 x 2 MiB/s) = 284 s. Even
 * if every byte were read twice and skew left only a quarter of the tasks busy: 284 s x 2 x 4 = 38 minutes,
 * under a third of the timeout. A stage that gives the job more workers or time can raise the cap with them.
 */
export const DEFAULT_MAX_BYTES_PER_MANIFEST = 20 * 1024 ** 3;

const required = (env: NodeJS.ProcessEnv, name: string, what: string, problems: string[]): string => {
  const value = env[name]?.trim();
  if (!value) problems.push(`environment variable ${name} is missing or empty; expected ${what}`);
  return value ?? '';
};

/** A cap from the environment: unset means the default, anything else must be a whole number of at least 1. */
const cap = (
  env: NodeJS.ProcessEnv,
  name: string,
  what: string,
  fallback: string,
  defaultValue: number,
  problems: string[],
): number => {
  const raw = env[name]?.trim();
  if (!raw) return defaultValue;
  const value = Number(raw);
  // A safe integer, because a byte count above 2^53 would be rounded and the cap silently moved.
  if (!Number.isSafeInteger(value) || value < 1) {
    problems.push(`${name} is "${raw}"; expected ${what} of at least 1 (or leave it unset for ${fallback})`);
  }
  return value;
};

/** A required whole number of at least 1. */
const wholeNumber = (env: NodeJS.ProcessEnv, name: string, what: string, problems: string[]): number => {
  const raw = required(env, name, `${what} (a whole number of at least 1)`, problems);
  if (!raw) return Number.NaN;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    problems.push(`${name} is "${raw}"; expected ${what} as a whole number of at least 1`);
  }
  return value;
};

/**
 * FILE_METRICS_NAMESPACE, or, when it is unset, the sibling of the trigger's own namespace: the stack names that
 * `<project>/<stage>/trigger`, and the file metrics live in `<project>/<stage>/files` (fileMetricsNamespace).
 */
const fileMetricsNamespaceOf = (env: NodeJS.ProcessEnv, problems: string[]): string => {
  const explicit = env.FILE_METRICS_NAMESPACE?.trim();
  if (explicit) return explicit;
  const sibling = /^(.+)\/trigger$/.exec(env.POWERTOOLS_METRICS_NAMESPACE?.trim() ?? '');
  if (sibling) return `${sibling[1]}/files`;
  problems.push(
    'environment variable FILE_METRICS_NAMESPACE is missing or empty; expected the CloudWatch namespace of the ' +
      'per-dataset file metrics (<project>/<stage>/files), which can be left unset only when ' +
      'POWERTOOLS_METRICS_NAMESPACE is <project>/<stage>/trigger',
  );
  return '';
};

/** Throws one error naming every variable that is missing or malformed and what it should hold. */
export const readTriggerConfig = (env: NodeJS.ProcessEnv): TriggerConfig => {
  const problems: string[] = [];
  const assetsBucketName = required(
    env,
    'ASSETS_BUCKET_NAME',
    'the name of the stage assets bucket',
    problems,
  );
  const glueJobName = required(env, 'GLUE_JOB_NAME', 'the name of the Glue job to start', problems);
  // Without these Powertools would log as "service_undefined" and put metrics where no alarm looks.
  required(env, 'POWERTOOLS_SERVICE_NAME', 'the service name on every log line and metric', problems);
  required(env, 'POWERTOOLS_METRICS_NAMESPACE', 'the CloudWatch namespace of the trigger metrics', problems);
  const maxObjectsPerManifest = cap(
    env,
    'MAX_OBJECTS_PER_MANIFEST',
    'a whole number',
    String(DEFAULT_MAX_OBJECTS_PER_MANIFEST),
    DEFAULT_MAX_OBJECTS_PER_MANIFEST,
    problems,
  );
  const maxBytesPerManifest = cap(
    env,
    'MAX_BYTES_PER_MANIFEST',
    'a whole number of bytes',
    `${DEFAULT_MAX_BYTES_PER_MANIFEST}, 20 GiB`,
    DEFAULT_MAX_BYTES_PER_MANIFEST,
    problems,
  );
  const ledgerTableName = required(
    env,
    'LEDGER_TABLE_NAME',
    'the name of the stage file ledger DynamoDB table',
    problems,
  );
  const ledgerRetentionDays = wholeNumber(
    env,
    'LEDGER_RETENTION_DAYS',
    'the days a ledger item is kept',
    problems,
  );
  const fileMetricsNamespace = fileMetricsNamespaceOf(env, problems);
  if (problems.length > 0) {
    throw new Error(`Trigger configuration: ${problems.join('; ')}.`);
  }
  return {
    assetsBucketName,
    glueJobName,
    maxObjectsPerManifest,
    maxBytesPerManifest,
    ledgerTableName,
    ledgerRetentionDays,
    fileMetricsNamespace,
  };
};
