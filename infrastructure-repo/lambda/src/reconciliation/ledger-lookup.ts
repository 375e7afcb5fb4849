import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LEDGER_KEY } from '@glue-platform/shared-constructs/contracts';

/** The primary key of a ledger item. */
export interface LedgerKey {
  readonly objectKey: string;
  readonly version: string;
}

/** The part of a ledger item reconciliation reads. */
export interface LedgerEntry {
  readonly status: string;
  readonly updatedAt: string | null;
  readonly jobRunId: string | null;
}

/** DynamoDB takes at most 100 keys in one BatchGetItem. */
export const BATCH_GET_LIMIT = 100;

export interface LookupOptions {
  readonly tableName: string;
  /** Calls per batch of keys, the first included, before unprocessed keys fail the lookup. @default 8 */
  readonly maxAttempts?: number;
  /** The wait before the first retry; doubled on each further one, with jitter. @default 100 */
  readonly baseDelayMs?: number;
  /** BatchGetItem calls in flight at once. @default 4 */
  readonly parallelCalls?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const ledgerKeyId = (key: LedgerKey): string => `${key.objectKey}\u0000${key.version}`;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const text = (value: AttributeValue | undefined): string | null =>
  (value && 'S' in value ? value.S : null) ?? null;

const NAMES = {
  '#objectKey': LEDGER_KEY.partition,
  '#version': LEDGER_KEY.sort,
  '#status': 'status',
  '#updatedAt': 'updatedAt',
  '#jobRunId': 'jobRunId',
};

/**
 * The ledger entries of `keys` (absent from the map: no item), 100 keys per BatchGetItem. DynamoDB may leave keys
 * unprocessed when it throttles; they are asked for again with backoff, and if some are still unprocessed after
 * the last attempt the lookup fails rather than report files it could not check.
 */
export const lookUpLedger = async (
  dynamodb: DynamoDBClient,
  keys: readonly LedgerKey[],
  options: LookupOptions,
): Promise<Map<string, LedgerEntry>> => {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const found = new Map<string, LedgerEntry>();
  // A repeated key makes DynamoDB refuse the whole batch.
  const unique = [...new Map(keys.map((key) => [ledgerKeyId(key), key])).values()];
  const batches: LedgerKey[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) batches.push(unique.slice(i, i + BATCH_GET_LIMIT));

  const lookUpBatch = async (batch: readonly LedgerKey[]): Promise<void> => {
    let pending: Record<string, AttributeValue>[] = batch.map((key) => ({
      [LEDGER_KEY.partition]: { S: key.objectKey },
      [LEDGER_KEY.sort]: { S: key.version },
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) {
        throw new Error(
          `BatchGetItem on ${options.tableName} left ${pending.length} key(s) unprocessed after ${maxAttempts} ` +
            'attempts (the table is throttling); expected every key looked up. Nothing was reported for this run.',
        );
      }
      if (attempt > 1) {
        const ceiling = baseDelayMs * 2 ** (attempt - 2);
        await sleep(Math.round(ceiling / 2 + (random() * ceiling) / 2));
      }
      const response = await dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [options.tableName]: {
              Keys: pending,
              ProjectionExpression: Object.keys(NAMES).join(', '),
              ExpressionAttributeNames: NAMES,
            },
          },
        }),
      );
      for (const item of response.Responses?.[options.tableName] ?? []) {
        const objectKey = text(item[LEDGER_KEY.partition]);
        const version = text(item[LEDGER_KEY.sort]);
        if (objectKey === null || version === null) continue;
        found.set(ledgerKeyId({ objectKey, version }), {
          status: text(item.status) ?? '(no status)',
          updatedAt: text(item.updatedAt),
          jobRunId: text(item.jobRunId),
        });
      }
      pending = response.UnprocessedKeys?.[options.tableName]?.Keys ?? [];
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next];
      next += 1;
      await lookUpBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallelCalls ?? 4, batches.length) }, worker));
  return found;
};
