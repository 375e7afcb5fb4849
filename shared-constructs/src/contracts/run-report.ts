// zod/mini: the smoke-test step embeds this contract in its buildspec, where classic zod would add ~450 KB.
import * as z from 'zod/mini';

import { ContractError, parseContract } from './private/contract-error';
import { ContractProblem } from './private/contract-problems';

/**
 * The run report: what one run of `file_processor` did with every file of its manifest, written as JSON to
 * `<assets bucket>/reports/<job name>/<run id>.json`. The smoke test and operators read it; the Python job writes
 * it. The fixture `shared-constructs/fixtures/run-report.json` satisfies this schema and the job's tests check
 * that the report the job writes has the fixture's shape, so both sides agree.
 */
export const RUN_REPORT_VERSION = 2;

/** A run failed when a file or a commit failed; quarantined and skipped files do not fail it. */
export const RUN_STATUSES = ['succeeded', 'failed'] as const;
/**
 * `succeeded`: its rows are committed and at least one reached the table (or it had none). `quarantined`: unreadable
 * and copied whole to quarantine, or every row it had failed validation (all in the quarantine table, none in the
 * table). `skipped`: not processed on purpose (a newer version of the key replaces it). `failed`: an unexpected
 * error; a re-run is safe. The file ledger records the same status for the file (`contracts/ledger-item.ts`).
 */
export const FILE_STATUSES = ['succeeded', 'quarantined', 'skipped', 'failed'] as const;
/** `unchanged`: the run had no rows for that table, so no snapshot was made. */
export const COMMIT_STATUSES = ['committed', 'unchanged', 'failed'] as const;
/** Each run commits at most once to the dataset's table and once to its `<table>__quarantine` table. */
export const COMMIT_ROLES = ['data', 'quarantine'] as const;
/** `multi-line`: one split, quoted newlines allowed; `line`: split across cores. */
export const READ_MODES = ['multi-line', 'line'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
export type FileStatus = (typeof FILE_STATUSES)[number];
export type CommitStatus = (typeof COMMIT_STATUSES)[number];
export type CommitRole = (typeof COMMIT_ROLES)[number];
export type ReadMode = (typeof READ_MODES)[number];

/** Iceberg snapshot ids are Java longs the job generates non-negative. */
const MAX_SNAPSHOT_ID = 2n ** 63n - 1n;

const oneOf = (values: readonly string[]) => `expected one of ${values.map((v) => `"${v}"`).join(', ')}`;

const text = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .check(z.minLength(1, { error: `expected ${what} as a non-empty string` }));

const count = (what: string) => {
  const error = `expected ${what} as a whole number >= 0`;
  return z.int({ error }).check(z.nonnegative({ error }));
};

const seconds = z
  .number({ error: 'expected seconds as a number >= 0' })
  .check(z.nonnegative({ error: 'expected seconds as a number >= 0' }));

const ratio = (what: string) => {
  const error = `expected ${what} as a number from 0 to 1`;
  return z.number({ error }).check(z.gte(0, { error }), z.lte(1, { error }));
};

/** Text, because JSON numbers become JavaScript doubles and a 64-bit id would lose its last digits. */
const snapshotId = z.nullable(
  z
    .string({
      error:
        'expected an Iceberg snapshot id as a string of decimal digits (a JSON number loses digits beyond 2^53)',
    })
    .check(
      z.regex(/^(0|[1-9]\d{0,18})$/, {
        error: 'expected an Iceberg snapshot id of decimal digits, no sign, no leading 0',
      }),
      z.refine((id) => BigInt(id) <= MAX_SNAPSHOT_ID, {
        error: 'expected an Iceberg snapshot id below 2^63',
      }),
    ),
);

const object = <T extends z.core.$ZodLooseShape>(what: string, shape: T) =>
  z.strictObject(shape, { error: `expected ${what} as a JSON object` });

export const runReportTotalsSchema = object('the totals', {
  files: count('the number of files'),
  filesSucceeded: count('the number of succeeded files'),
  filesQuarantined: count('the number of quarantined files'),
  filesSkipped: count('the number of skipped files'),
  filesFailed: count('the number of failed files'),
  rowsRead: count('rows read'),
  rowsWritten: count('rows written'),
  rowsQuarantined: count('rows quarantined'),
});

export const runReportCommitSchema = object('a commit', {
  table: text('the table name'),
  role: z.enum(COMMIT_ROLES, { error: oneOf(COMMIT_ROLES) }),
  status: z.enum(COMMIT_STATUSES, { error: oneOf(COMMIT_STATUSES) }),
  /** The snapshot the commit made; null when nothing was committed. */
  snapshotId,
  /** Optimistic-concurrency retries included; 0 when no commit was needed. */
  attempts: count('the number of commit attempts'),
  rowsAdded: count('rows added'),
  /** Rows of older versions of the same keys that this commit replaced. */
  rowsRemoved: count('rows removed'),
  error: z.nullable(text('the error')),
});

export const runReportColumnSchema = object('a column', {
  /** The column name in the table (normalized snake_case). */
  name: text('the column name'),
  type: text('the column type'),
  /**
   * The header as the file wrote it; present only when it differs from `name`. Empty when the file's header cell
   * is blank (the job names such a column itself), so an empty string is a valid header.
   */
  header: z.optional(z.string({ error: 'expected the header as a string' })),
});

export const runReportTypeConflictSchema = object('a type conflict', {
  column: text('the column name'),
  fileType: text('the type the file suggested'),
  tableType: text('the type of the table'),
});

export const runReportFileSchema = object('a file', {
  sourceFile: z
    .string({ error: 'expected the source file as s3://bucket/key' })
    .check(z.regex(/^s3:\/\/[^/]+\/.+$/, { error: 'expected the source file as s3://bucket/key' })),
  /** `bucket/key`: the object as an operator names it, and what a newer version replaces. */
  sourceKey: z
    .string({ error: 'expected the source key as bucket/key' })
    .check(z.regex(/^[^/]+\/.+$/, { error: 'expected the source key as bucket/key' })),
  /** Null when the bucket keeps no versions. */
  sourceVersion: z.nullable(text('the source version')),
  status: z.enum(FILE_STATUSES, { error: oneOf(FILE_STATUSES) }),
  rowsRead: count('rows read'),
  rowsWritten: count('rows written'),
  rowsQuarantined: count('rows quarantined'),
  seconds,
  /** Why the file was not (fully) written; null when every row was. */
  reason: z.nullable(text('the reason')),
  /** Null when the file was never read. */
  readMode: z.nullable(z.enum(READ_MODES, { error: `${oneOf(READ_MODES)} or null` })),
  bytes: count('the file size in bytes'),
  columns: z.array(runReportColumnSchema, { error: 'expected a list of columns' }),
  typeConflicts: z.array(runReportTypeConflictSchema, { error: 'expected a list of type conflicts' }),
  /** The data table's snapshot that holds the file's rows; null when none was written. */
  snapshotId,
  /** Where an unreadable file was copied whole. */
  quarantinedFile: z.nullable(text('the quarantined file')),
}).check(
  z.superRefine((file, ctx) => {
    const expected = file.rowsWritten + file.rowsQuarantined;
    if (file.rowsRead !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['rowsRead'],
        input: file.rowsRead,
        message: `expected rowsWritten + rowsQuarantined (${file.rowsWritten} + ${file.rowsQuarantined} = ${expected}): every row read is either written or quarantined`,
      });
    }
    // A file none of whose rows can be queried must not read as a success (issue 11).
    if (file.status === 'succeeded' && file.rowsRead > 0 && file.rowsWritten === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        input: file.status,
        message: `expected "quarantined": all ${file.rowsRead} rows read were quarantined and none written`,
      });
    }
    if (file.status !== 'succeeded' && file.reason === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        input: file.reason,
        message: `expected why the file is ${file.status}`,
      });
    }
  }),
);

type Totals = z.infer<typeof runReportTotalsSchema>;
type ReportFile = z.infer<typeof runReportFileSchema>;
type ReportCommit = z.infer<typeof runReportCommitSchema>;

/** What each total must equal, and how to say it. */
const TOTAL_RULES: readonly {
  readonly key: keyof Totals;
  readonly of: (files: readonly ReportFile[]) => number;
  readonly what: string;
}[] = [
  { key: 'files', of: (files) => files.length, what: 'the number of entries in files' },
  ...FILE_STATUSES.map((status) => ({
    key: `files${status[0]?.toUpperCase()}${status.slice(1)}` as keyof Totals,
    of: (files: readonly ReportFile[]) => files.filter((f) => f.status === status).length,
    what: `the number of files with status "${status}"`,
  })),
  ...(['rowsRead', 'rowsWritten', 'rowsQuarantined'] as const).map((key) => ({
    key,
    of: (files: readonly ReportFile[]) => files.reduce((sum, f) => sum + f[key], 0),
    what: `the sum of files[].${key}`,
  })),
];

const failures = (files: readonly ReportFile[], commits: readonly ReportCommit[]): string[] => [
  ...files.flatMap((f, i) => (f.status === 'failed' ? [`files[${i}] (${f.sourceFile}) failed`] : [])),
  ...commits.flatMap((c, i) => (c.status === 'failed' ? [`commits[${i}] (${c.table}) failed`] : [])),
];

export const runReportSchema = object('a run report', {
  reportVersion: z.literal(RUN_REPORT_VERSION, {
    error: `expected reportVersion ${RUN_REPORT_VERSION}; a reader of version ${RUN_REPORT_VERSION} cannot vouch for another`,
  }),
  jobName: text('the Glue job name'),
  runId: text('the Glue job run id'),
  manifestId: text('the manifest id'),
  dataset: text('the dataset'),
  database: text('the Glue database'),
  table: text('the table'),
  quarantineTable: text('the quarantine table'),
  status: z.enum(RUN_STATUSES, { error: oneOf(RUN_STATUSES) }),
  /** One UTC instant for the whole run, also stamped on every row as `processed_at`. */
  processedAt: z.iso.datetime({ error: 'expected an ISO-8601 UTC timestamp ending in Z' }),
  seconds,
  totals: runReportTotalsSchema,
  /** totals.rowsQuarantined / totals.rowsRead; null when no rows were read. */
  quarantineRatio: z.nullable(ratio('the quarantine ratio')),
  /** Above this ratio the quarantine alarm fires. */
  quarantineRatioThreshold: ratio('the quarantine ratio threshold'),
  commits: z.array(runReportCommitSchema, { error: 'expected a list of commits' }),
  files: z.array(runReportFileSchema, { error: 'expected a list of files' }),
}).check(
  z.superRefine((report, ctx) => {
    for (const rule of TOTAL_RULES) {
      const expected = rule.of(report.files);
      if (report.totals[rule.key] !== expected) {
        ctx.addIssue({
          code: 'custom',
          path: ['totals', rule.key],
          input: report.totals[rule.key],
          message: `expected ${expected}, ${rule.what}`,
        });
      }
    }
    const failed = failures(report.files, report.commits);
    const expectedStatus: RunStatus = failed.length > 0 ? 'failed' : 'succeeded';
    if (report.status !== expectedStatus) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        input: report.status,
        message:
          failed.length > 0
            ? `expected "failed" because ${failed.join(', ')}`
            : 'expected "succeeded" because no file and no commit failed',
      });
    }
    const rowsRead = report.files.reduce((sum, f) => sum + f.rowsRead, 0);
    if (rowsRead === 0 && report.quarantineRatio !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['quarantineRatio'],
        input: report.quarantineRatio,
        message: 'expected null because no rows were read',
      });
    } else if (rowsRead > 0 && report.quarantineRatio === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['quarantineRatio'],
        input: report.quarantineRatio,
        message: `expected a number (rows quarantined / rows read) because ${rowsRead} rows were read`,
      });
    }
  }),
);

export type RunReport = z.infer<typeof runReportSchema>;
export type RunReportTotals = Totals;
export type RunReportFile = ReportFile;
export type RunReportCommit = ReportCommit;
export type RunReportColumn = z.infer<typeof runReportColumnSchema>;
export type RunReportTypeConflict = z.infer<typeof runReportTypeConflictSchema>;
export type RunReportProblem = ContractProblem;

/** Thrown with every problem of a report at once. */
export class RunReportError extends ContractError {
  constructor(source: string, problems: readonly RunReportProblem[]) {
    super('RunReportError', 'run report', source, problems);
  }
}

/**
 * A run report of version 2 from parsed JSON; throws a RunReportError listing every problem.
 * @param source where the report was read, for the message. @default 'object'
 */
export function parseRunReport(json: unknown, source = 'object'): RunReport {
  return parseContract(runReportSchema, json, (problems) => new RunReportError(source, problems));
}
