import { z } from 'zod';

import { AWS_REGIONS } from './regions';

const accountId = z
  .string({ error: 'expected an AWS account id as a string of 12 digits' })
  .regex(/^\d{12}$/, { error: 'expected an AWS account id of exactly 12 digits' });

const region = z.enum(AWS_REGIONS, {
  error: `expected an AWS region name such as eu-west-1 (one of: ${AWS_REGIONS.join(', ')})`,
});

/** Lowercase, starts with a letter, hyphens only between characters: safe in S3, IAM, Glue and SQS names. */
const resourceWord = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} as a string` })
    .min(2, { error: `expected ${what} of at least 2 characters` })
    .max(max, { error: `expected ${what} of at most ${max} characters` })
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
      error: `expected ${what} in lowercase letters, digits and single inner hyphens, starting with a letter`,
    });

const connectionArn = z
  .string({ error: 'expected a CodeConnections connection ARN as a string' })
  .regex(/^arn:aws:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/, {
    error: 'expected an ARN like arn:aws:codeconnections:eu-west-1:111111111111:connection/<uuid>',
  });

const repository = z
  .string({ error: 'expected a repository as "owner/name"' })
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'expected a repository as "owner/name"' });

const branch = z
  .string({ error: 'expected a branch name' })
  .min(1, { error: 'expected a non-empty branch name' })
  .regex(/^[^\s~^:?*[\\]+$/, { error: 'expected a git branch name without spaces or ~^:?*[\\' })
  // The push trigger compares branch names, so "refs/heads/main" would never match a push to main.
  .refine((name) => !name.startsWith('refs/'), {
    error: 'expected a branch name such as "main", not a git ref ("refs/heads/main" is written "main")',
  });

const appSource = z.strictObject({
  repository,
  branch: branch.optional(),
});

export const stageSchema = z.strictObject({
  /** Stage name, part of every physical name: keep it short. */
  name: resourceWord('a stage name', 12),
  account: accountId,
  region,
  /** A person approves in the pipeline before this stage deploys. */
  requireApproval: z.boolean().default(false),
  /** After this stage deploys, the application pipeline uploads a sample CSV and checks the Parquet it becomes. */
  smokeTest: z.boolean().default(false),
  /** Buckets and the key survive stack deletion, and the stacks get termination protection. */
  retainData: z.boolean().default(false),
  /** FLEX runs Glue jobs on spare capacity: cheaper, may start later. Suits dev. */
  glueExecutionClass: z.enum(['STANDARD', 'FLEX']).default('STANDARD'),
});

/** `cron(` six space-separated fields `)`: minutes hours day-of-month month day-of-week year, as Glue reads it. */
const AWS_CRON = /^cron\(\S+( \S+){5}\)$/;

/** AWS cron requires `?` in exactly one of day-of-month and day-of-week; Glue refuses the trigger otherwise. */
const hasOneQuestionMark = (expression: string): boolean => {
  if (!AWS_CRON.test(expression)) return true;
  const fields = expression.slice('cron('.length, -1).split(' ');
  return (fields[2] === '?') !== (fields[4] === '?');
};

/** Defaults of `tableMaintenance`, also what a config without the section gets. */
export const TABLE_MAINTENANCE_DEFAULTS = {
  snapshotRetentionDays: 7,
  schedule: 'cron(30 3 * * ? *)',
} as const;

const RETENTION_DAYS = 'expected a whole number of days from 1 to 365';

export const tableMaintenanceSchema = z.strictObject({
  /**
   * Snapshots of every Iceberg table older than this many days are expired by the `table_maintenance` job:
   * time travel reaches back this far, and the data files only they reference are deleted.
   * @default 7
   */
  snapshotRetentionDays: z
    .number({ error: RETENTION_DAYS })
    .int({ error: RETENTION_DAYS })
    .min(1, { error: RETENTION_DAYS })
    .max(365, { error: RETENTION_DAYS })
    .default(TABLE_MAINTENANCE_DEFAULTS.snapshotRetentionDays),
  /**
   * When the `table_maintenance` job runs in every stage: a Glue schedule, in UTC.
   * @default 'cron(30 3 * * ? *)' (03:30 every day)
   */
  schedule: z
    .string({ error: 'expected an AWS cron expression as a string, such as "cron(30 3 * * ? *)"' })
    .regex(AWS_CRON, {
      error:
        'expected an AWS cron expression with 6 fields (minutes hours day-of-month month day-of-week year), ' +
        'such as "cron(30 3 * * ? *)"',
    })
    .refine(hasOneQuestionMark, {
      error:
        'expected "?" in exactly one of day-of-month (3rd field) and day-of-week (5th field), as AWS requires',
    })
    .default(TABLE_MAINTENANCE_DEFAULTS.schedule),
});

/** Defaults of `fileLedger`, also what a config without the section gets. */
export const FILE_LEDGER_DEFAULTS = {
  retentionDays: 400,
  reconciliation: { minAgeMinutes: 240, schedule: 'rate(1 hour)' },
} as const;

const LEDGER_RETENTION_DAYS = 'expected a whole number of days from 1 to 3650';
const RECONCILIATION_MIN_AGE = 'expected a whole number of minutes from 15 to 10080 (a week)';

/** `rate(1 hour)`, `rate(15 minutes)`: EventBridge wants the singular unit for 1 and the plural otherwise. */
const AWS_RATE = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;

export const reconciliationSchema = z.strictObject({
  /**
   * An object under `incoming/` is reported only once it is older than this: a file still queued or in a run is
   * not missing. Keep it above the time a file may take from upload to its run's end (the batching window, SQS
   * retries with backoff, a FLEX start, the file_processor job's 2-hour timeout).
   * @default 240
   */
  minAgeMinutes: z
    .number({ error: RECONCILIATION_MIN_AGE })
    .int({ error: RECONCILIATION_MIN_AGE })
    .min(15, { error: RECONCILIATION_MIN_AGE })
    .max(10080, { error: RECONCILIATION_MIN_AGE })
    .default(FILE_LEDGER_DEFAULTS.reconciliation.minAgeMinutes),
  /**
   * When reconciliation runs: an EventBridge schedule expression, `rate(...)` or a 6-field `cron(...)` in UTC.
   * @default 'rate(1 hour)'
   */
  schedule: z
    .string({ error: 'expected an EventBridge schedule as a string, such as "rate(1 hour)"' })
    .refine((expression) => AWS_RATE.test(expression) || AWS_CRON.test(expression), {
      error:
        'expected "rate(<n> <unit>)" (minute, hour or day; plural for n > 1) or an AWS cron expression with 6 ' +
        'fields (minutes hours day-of-month month day-of-week year), such as "rate(1 hour)"',
    })
    .refine(hasOneQuestionMark, {
      error:
        'expected "?" in exactly one of day-of-month (3rd field) and day-of-week (5th field), as AWS requires',
    })
    .default(FILE_LEDGER_DEFAULTS.reconciliation.schedule),
});

export const fileLedgerSchema = z.strictObject({
  /**
   * Days a ledger item is kept after its last change before DynamoDB's TTL deletes it: how far back "what
   * happened to my file?" can be answered from the ledger.
   * @default 400
   */
  retentionDays: z
    .number({ error: LEDGER_RETENTION_DAYS })
    .int({ error: LEDGER_RETENTION_DAYS })
    .min(1, { error: LEDGER_RETENTION_DAYS })
    .max(3650, { error: LEDGER_RETENTION_DAYS })
    .default(FILE_LEDGER_DEFAULTS.retentionDays),
  /**
   * The scheduled check that every upload under `incoming/` reached a terminal state in the ledger.
   * @default - every field at its default
   */
  reconciliation: reconciliationSchema.prefault({}),
});

export const platformConfigSchema = z.strictObject({
  /** Prefix of every physical name. */
  project: resourceWord('a project name', 16),
  pipeline: z.strictObject({
    account: accountId,
    region,
  }),
  source: z.strictObject({
    connectionArn,
    repository,
    branch,
    /** Set these to give an app its own repository (and branch) instead of the shared one. */
    infrastructure: appSource.optional(),
    application: appSource.optional(),
  }),
  /** Where alarms and pipeline failures are e-mailed; leave out to subscribe later. */
  notificationEmail: z.email({ error: 'expected an e-mail address' }).optional(),
  stages: z.array(stageSchema).min(1, { error: 'expected at least one stage' }),
  /**
   * Compaction and snapshot expiry of the Iceberg tables by the `table_maintenance` job, the same in every stage.
   * @default - every field at its default
   */
  tableMaintenance: tableMaintenanceSchema.prefault({}),
  /**
   * The file ledger of every stage (one DynamoDB item per uploaded object version) and its reconciliation.
   * @default - every field at its default
   */
  fileLedger: fileLedgerSchema.prefault({}),
});

/** What a config file may contain (defaults not yet applied). */
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
/** A validated config with defaults applied. */
export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type StageConfig = PlatformConfig['stages'][number];
export type TableMaintenanceConfig = PlatformConfig['tableMaintenance'];
export type FileLedgerConfig = PlatformConfig['fileLedger'];
