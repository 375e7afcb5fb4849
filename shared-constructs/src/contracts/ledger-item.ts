import * as z from 'zod/mini';

import { ContractError, parseContract } from './private/contract-error';
import { ContractProblem } from './private/contract-problems';

/**
 * The file ledger: one DynamoDB item per uploaded object version, in the stage's table `glue-etl-<stage>-file-ledger`.
 * The trigger writes `received`, `claimed` and `started`; the job writes the terminal states; reconciliation and
 * the operator CLI read it. The items are stored as plain DynamoDB attributes (strings, numbers, null), so this
 * schema describes an item after unmarshalling. The fixture `shared-constructs/fixtures/ledger-items.json` holds one
 * item of every status; it satisfies this schema and the job's tests check their items against it.
 */
export const LEDGER_ITEM_VERSION = 1;

/** Partition key `objectKey` ("bucket/key"), sort key `version`. */
export const LEDGER_KEY = { partition: 'objectKey', sort: 'version' } as const;
/** Query a dataset's files by when they last changed: partition `dataset`, sort `updatedAt`. */
export const LEDGER_DATASET_INDEX = { name: 'by-dataset', partition: 'dataset', sort: 'updatedAt' } as const;
/** Glue job argument that carries the ledger table's name; the job records terminal states there when given. */
export const LEDGER_TABLE_JOB_ARGUMENT = '--ledger_table';
/** Epoch seconds; DynamoDB deletes the item some time after. */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAt';

/**
 * `received`: the trigger read a notification for it. `claimed`: the trigger put it into a manifest (at most one
 * manifest claims an object version). `started`: the run that reads that manifest started. Then one of the terminal
 * states, which the job writes except `skipped` for objects the trigger does not process (wrong suffix, no dataset
 * folder) and for versions a newer one replaced before they were read.
 */
export const LEDGER_STATUSES = [
  'received',
  'claimed',
  'started',
  'succeeded',
  'quarantined',
  'failed',
  'skipped',
] as const;
/** A file in one of these has reached its recorded end; reconciliation looks for files in none of them. */
export const LEDGER_TERMINAL_STATUSES = ['succeeded', 'quarantined', 'failed', 'skipped'] as const;

export type LedgerStatus = (typeof LEDGER_STATUSES)[number];
export type LedgerTerminalStatus = (typeof LEDGER_TERMINAL_STATUSES)[number];

export const isTerminalStatus = (status: LedgerStatus): status is LedgerTerminalStatus =>
  (LEDGER_TERMINAL_STATUSES as readonly string[]).includes(status);

/**
 * The sort key of an object version: its S3 version id, or `etag:<etag without quotes>` where the bucket keeps no
 * versions (the job's `source_version` column holds the same text).
 */
export const ledgerVersion = (versionId: string | null, eTag: string): string =>
  versionId ?? `etag:${eTag.replace(/"/g, '')}`;

/** The partition key: the object as an operator names it, and the job's `source_key` column. */
export const ledgerObjectKey = (bucket: string, key: string): string => `${bucket}/${key}`;

const oneOf = (values: readonly string[]) => `expected one of ${values.map((v) => `"${v}"`).join(', ')}`;

const text = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .check(z.minLength(1, { error: `expected ${what} as a non-empty string` }));

const count = (what: string) => {
  const error = `expected ${what} as a whole number >= 0`;
  return z.int({ error }).check(z.nonnegative({ error }));
};

const instant = (what: string) =>
  z.iso.datetime({ error: `expected ${what} as an ISO-8601 UTC timestamp ending in Z` });

/** Iceberg snapshot ids are Java longs; text, because a JSON or DynamoDB reader may hold them as doubles. */
const snapshotId = z.nullable(
  z
    .string({ error: 'expected an Iceberg snapshot id as a string of decimal digits' })
    .check(z.regex(/^(0|[1-9]\d{0,18})$/, { error: 'expected an Iceberg snapshot id of decimal digits' })),
);

export const ledgerItemSchema = z
  .strictObject(
    {
      itemVersion: z.literal(LEDGER_ITEM_VERSION, {
        error: `expected itemVersion ${LEDGER_ITEM_VERSION}; a reader of version ${LEDGER_ITEM_VERSION} cannot vouch for another`,
      }),
      objectKey: z
        .string({ error: 'expected the object key as bucket/key' })
        .check(z.regex(/^[^/]+\/.+$/, { error: 'expected the object key as bucket/key' })),
      version: text('the object version (a version id, or etag:<etag>)'),
      bucket: text('the bucket'),
      key: text('the object key'),
      /** Null when the bucket keeps no versions. */
      versionId: z.nullable(text('the version id')),
      eTag: text('the ETag'),
      size: count('the object size in bytes'),
      /**
       * Absent for an object the trigger skipped before it knew a dataset: it is the partition key of the
       * `by-dataset` index, which DynamoDB refuses as NULL and leaves out of the index when absent.
       */
      dataset: z.optional(text('the dataset')),
      status: z.enum(LEDGER_STATUSES, { error: oneOf(LEDGER_STATUSES) }),
      /** Why the file is skipped, quarantined or failed; null otherwise. */
      reason: z.nullable(text('the reason')),
      /** When S3 saw the upload. */
      eventTime: instant('the event time'),
      receivedAt: instant('the time the trigger first read it'),
      updatedAt: instant('the time of the last change'),
      /** Set by the claim; kept through the terminal state. */
      manifestId: z.nullable(text('the manifest id')),
      jobName: z.nullable(text('the Glue job name')),
      /** Set once the run started. */
      jobRunId: z.nullable(text('the Glue job run id')),
      /** Set with the terminal state by the job. */
      rowsRead: z.nullable(count('rows read')),
      rowsWritten: z.nullable(count('rows written')),
      rowsQuarantined: z.nullable(count('rows quarantined')),
      /** The data table's snapshot that holds the file's rows. */
      snapshotId,
      /** `s3://` URI of the run report that names the file. */
      reportUri: z.nullable(text('the run report URI')),
      /** How many runs have claimed this version (a re-process claims again). */
      attempts: count('the number of claims'),
      expiresAt: count('the expiry time in epoch seconds'),
    },
    { error: 'expected a ledger item as a JSON object' },
  )
  .check(
    z.superRefine((item, ctx) => {
      const issue = (path: string, input: unknown, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], input, message });
      if (item.objectKey !== ledgerObjectKey(item.bucket, item.key)) {
        issue(
          'objectKey',
          item.objectKey,
          `expected "${ledgerObjectKey(item.bucket, item.key)}" (bucket/key)`,
        );
      }
      if (item.version !== ledgerVersion(item.versionId, item.eTag)) {
        issue(
          'version',
          item.version,
          `expected "${ledgerVersion(item.versionId, item.eTag)}" (ledgerVersion)`,
        );
      }
      const claimed = item.status !== 'received' && !(item.status === 'skipped' && item.manifestId === null);
      if (claimed && (item.manifestId === null || item.jobName === null)) {
        issue(
          'manifestId',
          item.manifestId,
          `expected the manifest id and job name of a ${item.status} file`,
        );
      }
      const ran = isTerminalStatus(item.status) && item.status !== 'skipped';
      if ((item.status === 'started' || ran) && item.jobRunId === null) {
        issue('jobRunId', item.jobRunId, `expected the run id of a ${item.status} file`);
      }
      if (ran && item.status !== 'failed') {
        for (const key of ['rowsRead', 'rowsWritten', 'rowsQuarantined'] as const) {
          if (item[key] === null) issue(key, item[key], `expected the ${key} of a ${item.status} file`);
        }
      }
      const { rowsRead, rowsWritten, rowsQuarantined } = item;
      if (rowsRead !== null && rowsWritten !== null && rowsQuarantined !== null) {
        if (rowsRead !== rowsWritten + rowsQuarantined) {
          issue(
            'rowsRead',
            rowsRead,
            `expected rowsWritten + rowsQuarantined (${rowsWritten + rowsQuarantined})`,
          );
        }
      }
      if (
        (item.status === 'quarantined' || item.status === 'failed' || item.status === 'skipped') &&
        !item.reason
      ) {
        issue('reason', item.reason, `expected why the file is ${item.status}`);
      }
      if (item.status === 'succeeded' && item.snapshotId === null && (rowsWritten ?? 0) > 0) {
        issue('snapshotId', item.snapshotId, 'expected the snapshot that holds the rows written');
      }
    }),
  );

export type LedgerItem = z.infer<typeof ledgerItemSchema>;
export type LedgerItemProblem = ContractProblem;

/** Thrown with every problem of an item at once. */
export class LedgerItemError extends ContractError {
  constructor(source: string, problems: readonly LedgerItemProblem[]) {
    super('LedgerItemError', 'ledger item', source, problems);
  }
}

/** A ledger item from an unmarshalled DynamoDB item; throws a LedgerItemError listing every problem. */
export function parseLedgerItem(item: unknown, source = 'item'): LedgerItem {
  return parseContract(ledgerItemSchema, item, (problems) => new LedgerItemError(source, problems));
}
