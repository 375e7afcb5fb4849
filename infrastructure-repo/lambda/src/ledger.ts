import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  LEDGER_ITEM_VERSION,
  ledgerObjectKey,
  ledgerVersion,
  type LedgerStatus,
  type ManifestObject,
} from '@glue-platform/shared-constructs/contracts';

/**
 * The trigger's side of the file ledger (contract: shared-constructs/src/contracts/ledger-item.ts). Every write is
 * conditional per item and goes out in transactions of up to 100 items, so a batch of 1,000 uploads costs about
 * ten calls per step; a transaction cancelled by one item's condition is sent again without that item.
 */
export interface LedgerTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly retentionDays: number;
}

/** DynamoDB's limit on the items of one TransactWriteItems and the keys of one BatchGetItem. */
const TRANSACTION_LIMIT = 100;
/** A transaction cancelled only by conflicts with other writers is sent again this many times. */
const CONFLICT_ATTEMPTS = 3;
/** Rounds of BatchGetItem for keys DynamoDB leaves unprocessed. */
const READ_ROUNDS = 5;

export type LedgerKey = { readonly objectKey: string; readonly version: string };

export const ledgerKeyOf = (object: ManifestObject): LedgerKey => ({
  objectKey: ledgerObjectKey(object.bucket, object.key),
  version: ledgerVersion(object.versionId, object.eTag),
});

/** The attributes of an item the trigger reads back to decide what a failed condition means. */
export interface LedgerState {
  readonly status: LedgerStatus;
  readonly manifestId: string | null;
  readonly jobName: string | null;
  readonly jobRunId: string | null;
  readonly updatedAt: string;
}

type Value = string | number | null;

/** One conditional write: which item, what to set, what must hold first. */
export interface LedgerWrite {
  readonly key: LedgerKey;
  readonly set: Readonly<Record<string, Value>>;
  /** Set only where the item has no such attribute yet (first sight of the object). */
  readonly setIfAbsent?: Readonly<Record<string, Value>>;
  /** Added to the attribute, counting from 0. */
  readonly increment?: string;
  readonly condition: Condition;
}

/** The conditions the trigger writes under, as data so that each item of a transaction carries its own. */
export type Condition =
  | { readonly kind: 'new' }
  | { readonly kind: 'new-or-status'; readonly status: LedgerStatus }
  | {
      readonly kind: 'held-by';
      readonly status: LedgerStatus;
      readonly manifestId: string;
      /** Compare-and-swap on the time of the last change: a takeover loses to any writer that came first. */
      readonly updatedAt?: string;
    };

interface Shape {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  /** The value placeholders, in the order valuesOf lists a write's values. */
  readonly placeholders: readonly string[];
  /**
   * Every placeholder, set to null: each item's values start as a copy of it, so filling them in replaces
   * properties instead of adding them one by one (which cost more than the rest of the claim).
   */
  readonly valuesTemplate: Readonly<Record<string, Value>>;
}

/** The values of a write, in the order of its shape's placeholders. */
const valuesOf = (write: LedgerWrite): Value[] => {
  const values: Value[] = [...Object.values(write.set), ...Object.values(write.setIfAbsent ?? {})];
  if (write.increment) values.push(0, 1);
  const { condition } = write;
  if (condition.kind === 'new-or-status') values.push(condition.status);
  if (condition.kind === 'held-by') {
    values.push(condition.status, condition.manifestId);
    if (condition.updatedAt !== undefined) values.push(condition.updatedAt);
  }
  return values;
};

/** Every attribute through a placeholder: `status`, `key`, `size` and others are DynamoDB reserved words. */
const shapeOf = (write: LedgerWrite): Shape => {
  const names: Record<string, string> = {};
  const placeholders: string[] = [];
  const name = (attribute: string): string => {
    const placeholder = `#${attribute}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const value = (): string => {
    const placeholder = `:v${placeholders.length + 1}`;
    placeholders.push(placeholder);
    return placeholder;
  };
  const assignments = [
    ...Object.keys(write.set).map((attribute) => `${name(attribute)} = ${value()}`),
    ...Object.keys(write.setIfAbsent ?? {}).map(
      (attribute) => `${name(attribute)} = if_not_exists(${name(attribute)}, ${value()})`,
    ),
  ];
  if (write.increment) {
    const attribute = name(write.increment);
    assignments.push(`${attribute} = if_not_exists(${attribute}, ${value()}) + ${value()}`);
  }
  const { condition } = write;
  // Named only where used: DynamoDB refuses an ExpressionAttributeNames entry that no expression uses.
  const absent = (): string => `attribute_not_exists(${name('objectKey')})`;
  let conditionExpression: string;
  switch (condition.kind) {
    case 'new':
      conditionExpression = absent();
      break;
    case 'new-or-status':
      conditionExpression = `${absent()} OR ${name('status')} = ${value()}`;
      break;
    case 'held-by':
      conditionExpression =
        `${name('status')} = ${value()} AND ${name('manifestId')} = ${value()}` +
        (condition.updatedAt === undefined ? '' : ` AND ${name('updatedAt')} = ${value()}`);
      break;
  }
  return {
    UpdateExpression: `SET ${assignments.join(', ')}`,
    ConditionExpression: conditionExpression,
    ExpressionAttributeNames: names,
    placeholders,
    valuesTemplate: Object.fromEntries(placeholders.map((placeholder) => [placeholder, null])),
  };
};

/**
 * The writes of one step share their attributes and condition, so the expression is built once per shape and
 * only the values are filled in per item (building it per item cost more than the rest of the batch together).
 */
const shapes = new Map<string, Shape>();

const signatureOf = (write: LedgerWrite): string =>
  [
    Object.keys(write.set).join(','),
    Object.keys(write.setIfAbsent ?? {}).join(','),
    write.increment ?? '',
    write.condition.kind,
    write.condition.kind === 'held-by' && write.condition.updatedAt !== undefined ? 'cas' : '',
  ].join('|');

/** The Update of one transaction item. */
const toUpdate = (tableName: string, write: LedgerWrite) => {
  const signature = signatureOf(write);
  let shape = shapes.get(signature);
  if (!shape) {
    shape = shapeOf(write);
    shapes.set(signature, shape);
  }
  const values: Record<string, Value> = { ...shape.valuesTemplate };
  const list = valuesOf(write);
  const { placeholders } = shape;
  for (let index = 0; index < placeholders.length; index += 1) values[placeholders[index]] = list[index];
  return {
    TableName: tableName,
    Key: { objectKey: write.key.objectKey, version: write.key.version },
    UpdateExpression: shape.UpdateExpression,
    ConditionExpression: shape.ConditionExpression,
    ExpressionAttributeNames: shape.ExpressionAttributeNames,
    ExpressionAttributeValues: values,
  };
};

export interface WriteResult {
  /** Indexes (into the writes given) whose condition held: they are written. */
  readonly written: number[];
  /** Indexes whose condition failed: nothing of them is written. */
  readonly rejected: number[];
  readonly calls: number;
}

/**
 * Writes each item under its own condition, 100 per transaction. A transaction is all or nothing, so one whose
 * cancellation names failed conditions is sent again without those items, and one cancelled only by conflicting
 * writers is sent again as it was. Throws on any other error (items of earlier transactions stay written).
 */
export const writeConditionally = async (
  table: LedgerTable,
  writes: readonly LedgerWrite[],
  abortSignal?: AbortSignal,
): Promise<WriteResult> => {
  const written: number[] = [];
  const rejected: number[] = [];
  let calls = 0;
  for (let start = 0; start < writes.length; start += TRANSACTION_LIMIT) {
    let pending = writes.slice(start, start + TRANSACTION_LIMIT).map((_, offset) => start + offset);
    let conflicts = 0;
    while (pending.length > 0) {
      try {
        calls += 1;
        await table.client.send(
          new TransactWriteCommand({
            TransactItems: pending.map((index) => ({ Update: toUpdate(table.tableName, writes[index]) })),
          }),
          { abortSignal },
        );
        written.push(...pending);
        pending = [];
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = new Set(
          pending.filter((_, position) => reasons[position]?.Code === 'ConditionalCheckFailed'),
        );
        const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
        const other = reasons.find(
          (reason) =>
            reason.Code && !['None', 'ConditionalCheckFailed', 'TransactionConflict'].includes(reason.Code),
        );
        if (other || (failed.size === 0 && !conflicted)) throw error;
        if (failed.size === 0 && (conflicts += 1) >= CONFLICT_ATTEMPTS) throw error;
        rejected.push(...failed);
        pending = pending.filter((index) => !failed.has(index));
      }
    }
  }
  return { written, rejected, calls };
};

/** The current state of each key that has an item (absent keys are missing from the map). */
export const readStates = async (
  table: LedgerTable,
  keys: readonly LedgerKey[],
  abortSignal?: AbortSignal,
): Promise<{ states: Map<string, LedgerState>; calls: number }> => {
  const states = new Map<string, LedgerState>();
  let calls = 0;
  for (let start = 0; start < keys.length; start += TRANSACTION_LIMIT) {
    let pending: Record<string, unknown>[] = keys
      .slice(start, start + TRANSACTION_LIMIT)
      .map((key) => ({ ...key }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= READ_ROUNDS) throw new Error(`ledger read left ${pending.length} keys unprocessed`);
      calls += 1;
      const response = await table.client.send(
        new BatchGetCommand({
          RequestItems: {
            [table.tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ProjectionExpression: '#o, #v, #s, #m, #j, #r, #u',
              ExpressionAttributeNames: {
                '#o': 'objectKey',
                '#v': 'version',
                '#s': 'status',
                '#m': 'manifestId',
                '#j': 'jobName',
                '#r': 'jobRunId',
                '#u': 'updatedAt',
              },
            },
          },
        }),
        { abortSignal },
      );
      for (const item of response?.Responses?.[table.tableName] ?? []) {
        states.set(keyText({ objectKey: String(item.objectKey), version: String(item.version) }), {
          status: item.status as LedgerStatus,
          manifestId: (item.manifestId as string | null | undefined) ?? null,
          jobName: (item.jobName as string | null | undefined) ?? null,
          jobRunId: (item.jobRunId as string | null | undefined) ?? null,
          updatedAt: String(item.updatedAt),
        });
      }
      pending = response?.UnprocessedKeys?.[table.tableName]?.Keys ?? [];
    }
  }
  return { states, calls };
};

/** One text per item, for maps. */
export const keyText = (key: LedgerKey): string => JSON.stringify([key.objectKey, key.version]);

/** Epoch seconds after which DynamoDB may delete the item. */
export const expiresAt = (table: LedgerTable, now: Date): number =>
  Math.floor(now.getTime() / 1000) + table.retentionDays * 86_400;

/**
 * Every attribute of the contract that describes the object itself. `dataset` is left out when unknown: it is the
 * partition key of the `by-dataset` index, and DynamoDB refuses an index key of type NULL.
 */
export const objectAttributes = (object: ManifestObject, dataset: string | null): Record<string, Value> => ({
  itemVersion: LEDGER_ITEM_VERSION,
  bucket: object.bucket,
  key: object.key,
  versionId: object.versionId,
  eTag: object.eTag,
  size: object.size,
  ...(dataset === null ? {} : { dataset }),
});

/** The job's columns, null until the job writes its terminal state. */
export const RUN_RESULT_ATTRIBUTES: Readonly<Record<string, Value>> = {
  jobRunId: null,
  rowsRead: null,
  rowsWritten: null,
  rowsQuarantined: null,
  snapshotId: null,
  reportUri: null,
};
