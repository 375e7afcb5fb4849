/** What reconciliation needs from its environment; read once at cold start. */
export interface ReconciliationConfig {
  /** Where uploads land; every object version under `incoming/` is checked. */
  readonly inputBucketName: string;
  /** The file ledger. */
  readonly ledgerTableName: string;
  /** Where the report goes, under `reports/reconciliation/`. */
  readonly assetsBucketName: string;
  /** Versions younger than this may still be queued or in a run, so they are not reported yet. */
  readonly minAgeMinutes: number;
  /** Ledger items expire this many days after their last change; older versions can no longer be checked. */
  readonly ledgerRetentionDays: number;
  /** Most object versions listed in one run, so a run ends in time whatever the bucket holds. */
  readonly maxVersionsListed: number;
}

/**
 * 100,000 versions are 100 ListObjectVersions pages and 1,000 BatchGetItem calls, a couple of minutes at worst.
 * Uploads expire from `incoming/` after 30 days, so a stage would need thousands of uploads a day to reach it.
 */
export const DEFAULT_MAX_VERSIONS_LISTED = 100_000;

const required = (env: NodeJS.ProcessEnv, name: string, what: string, problems: string[]): string => {
  const value = env[name]?.trim();
  if (!value) problems.push(`environment variable ${name} is missing or empty; expected ${what}`);
  return value ?? '';
};

const wholeNumber = (
  env: NodeJS.ProcessEnv,
  name: string,
  what: string,
  problems: string[],
  defaultValue?: number,
): number => {
  const raw = env[name]?.trim();
  if (!raw) {
    if (defaultValue !== undefined) return defaultValue;
    problems.push(`environment variable ${name} is missing or empty; expected ${what}`);
    return 0;
  }
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    problems.push(`${name} is "${raw}"; expected ${what}`);
  }
  return value;
};

/** Throws one error naming every variable that is missing or malformed and what it should hold. */
export const readReconciliationConfig = (env: NodeJS.ProcessEnv): ReconciliationConfig => {
  const problems: string[] = [];
  const inputBucketName = required(env, 'INPUT_BUCKET_NAME', 'the name of the stage input bucket', problems);
  const ledgerTableName = required(env, 'LEDGER_TABLE_NAME', 'the name of the file ledger table', problems);
  const assetsBucketName = required(
    env,
    'ASSETS_BUCKET_NAME',
    'the name of the stage assets bucket',
    problems,
  );
  // Without these Powertools would log as "service_undefined" and put the metric where no alarm looks.
  required(env, 'POWERTOOLS_SERVICE_NAME', 'the service name on every log line and metric', problems);
  required(
    env,
    'POWERTOOLS_METRICS_NAMESPACE',
    'the CloudWatch namespace of the reconciliation metrics',
    problems,
  );
  const minAgeMinutes = wholeNumber(
    env,
    'MIN_AGE_MINUTES',
    'a whole number of minutes of at least 1',
    problems,
  );
  const ledgerRetentionDays = wholeNumber(
    env,
    'LEDGER_RETENTION_DAYS',
    'a whole number of days of at least 1',
    problems,
  );
  const maxVersionsListed = wholeNumber(
    env,
    'MAX_VERSIONS_LISTED',
    `a whole number of at least 1 (or leave it unset for ${DEFAULT_MAX_VERSIONS_LISTED})`,
    problems,
    DEFAULT_MAX_VERSIONS_LISTED,
  );
  if (problems.length === 0 && minAgeMinutes >= ledgerRetentionDays * 24 * 60) {
    problems.push(
      `MIN_AGE_MINUTES (${minAgeMinutes}) must be shorter than LEDGER_RETENTION_DAYS (${ledgerRetentionDays} days), ` +
        'or no version could ever be checked',
    );
  }
  if (problems.length > 0) {
    throw new Error(`Reconciliation configuration: ${problems.join('; ')}.`);
  }
  return {
    inputBucketName,
    ledgerTableName,
    assetsBucketName,
    minAgeMinutes,
    ledgerRetentionDays,
    maxVersionsListed,
  };
};
