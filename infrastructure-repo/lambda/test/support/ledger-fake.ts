import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { BatchGetCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { LEDGER_DATASET_INDEX } from '@glue-platform/shared-constructs/contracts';

type Item = Record<string, unknown>;
type Values = Record<string, unknown>;
type Names = Record<string, string>;

/** The keys of the `by-dataset` index (LEDGER_DATASET_INDEX): strings when present. */
const INDEX_KEYS = [LEDGER_DATASET_INDEX.partition, LEDGER_DATASET_INDEX.sort];

const itemKey = (key: Item): string => JSON.stringify([key.objectKey, key.version]);

/**
 * Evaluates the condition grammar the trigger writes (ledger.ts): atoms `attribute_not_exists(#a)` and `#a = :v`,
 * joined by AND, then OR. Anything else throws, so a new kind of condition cannot pass unexamined.
 */
const holds = (expression: string, item: Item | undefined, names: Names, values: Values): boolean =>
  expression.split(' OR ').some((conjunction) =>
    conjunction.split(' AND ').every((atom) => {
      const absent = /^attribute_not_exists\((#\w+)\)$/.exec(atom);
      if (absent) return item === undefined || !(names[absent[1]] in item);
      const equal = /^(#\w+) = (:\w+)$/.exec(atom);
      if (equal) return item !== undefined && item[names[equal[1]]] === values[equal[2]];
      throw new Error(`fake ledger: condition atom not understood: ${atom}`);
    }),
  );

/** Applies `SET #a = :v, #b = if_not_exists(#b, :w), #c = if_not_exists(#c, :x) + :y`. */
const applyUpdate = (expression: string, item: Item, names: Names, values: Values): Item => {
  if (!expression.startsWith('SET ')) throw new Error(`fake ledger: update not understood: ${expression}`);
  const next = { ...item };
  const pattern = /(#\w+) = (?:if_not_exists\((#\w+), (:\w+)\)(?: \+ (:\w+))?|(:\w+))(?:, |$)/gy;
  pattern.lastIndex = 4;
  while (pattern.lastIndex < expression.length) {
    const match = pattern.exec(expression);
    if (!match) throw new Error(`fake ledger: update not understood: ${expression}`);
    const [, target, existing, fallback, addend, plain] = match;
    const attribute = names[target];
    if (plain) next[attribute] = values[plain];
    else {
      const base = names[existing] in item ? item[names[existing]] : values[fallback];
      next[attribute] = addend ? (base as number) + (values[addend] as number) : base;
    }
  }
  return next;
};

/** A fault the test injects into one call: an error to throw, or 'hang' for a call that never answers. */
export type LedgerFault = Error | 'hang' | undefined;

/**
 * An in-memory DynamoDB table with what the trigger uses: conditional updates in all-or-nothing transactions and
 * consistent batch reads. It counts calls, so tests and the benchmark can state what a batch costs.
 */
export class FakeLedger {
  readonly items = new Map<string, Item>();
  transactWriteCalls = 0;
  batchGetCalls = 0;
  /** Called before each request; what it returns is thrown or hung instead of the answer. */
  fault: (command: 'TransactWrite' | 'BatchGet') => LedgerFault = () => undefined;
  /** Called after a transaction commits and before it answers: a fault here loses a committed answer. */
  afterCommit: () => LedgerFault = () => undefined;

  get calls(): number {
    return this.transactWriteCalls + this.batchGetCalls;
  }

  transactWrite(input: TransactWriteCommandInput): Promise<object> {
    this.transactWriteCalls += 1;
    const injected = this.fault('TransactWrite');
    if (injected === 'hang') return new Promise(() => undefined);
    if (injected) return Promise.reject(injected);
    const updates = (input.TransactItems ?? []).map((entry) => {
      const update = entry.Update;
      if (!update?.Key || !update.UpdateExpression)
        throw new Error('fake ledger: only Update items are supported');
      return update;
    });
    const keys = updates.map((update) => itemKey(update.Key as Item));
    if (new Set(keys).size !== keys.length) {
      return Promise.reject(
        new Error('ValidationException: Transaction request cannot include multiple operations on one item'),
      );
    }
    const reasons = updates.map((update, index) => {
      const names = update.ExpressionAttributeNames ?? {};
      const values = (update.ExpressionAttributeValues ?? {}) as Values;
      const current = this.items.get(keys[index]);
      const ok = !update.ConditionExpression || holds(update.ConditionExpression, current, names, values);
      return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) {
      return Promise.reject(
        new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: reasons,
        }),
      );
    }
    const next = updates.map((update, index) => {
      const current = this.items.get(keys[index]) ?? { ...(update.Key as Item) };
      const names = update.ExpressionAttributeNames ?? {};
      const values = (update.ExpressionAttributeValues ?? {}) as Values;
      return applyUpdate(update.UpdateExpression ?? '', current, names, values);
    });
    // DynamoDB refuses an index key of the wrong type: the by-dataset index keys are strings, never NULL.
    const badIndexKey = next.find((item) =>
      INDEX_KEYS.some((attribute) => attribute in item && typeof item[attribute] !== 'string'),
    );
    if (badIndexKey) {
      return Promise.reject(
        new Error(`ValidationException: Type mismatch for Index Key in ${JSON.stringify(badIndexKey)}`),
      );
    }
    next.forEach((item, index) => this.items.set(keys[index], item));
    const lost = this.afterCommit();
    if (lost === 'hang') return new Promise(() => undefined);
    if (lost) return Promise.reject(lost);
    return Promise.resolve({});
  }

  batchGet(input: BatchGetCommandInput): Promise<object> {
    this.batchGetCalls += 1;
    const injected = this.fault('BatchGet');
    if (injected === 'hang') return new Promise(() => undefined);
    if (injected) return Promise.reject(injected);
    const responses: Record<string, Item[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
      responses[table] = (request.Keys ?? [])
        .map((key) => this.items.get(itemKey(key)))
        .filter((item): item is Item => item !== undefined)
        .map((item) => ({ ...item }));
    }
    return Promise.resolve({ Responses: responses, UnprocessedKeys: {} });
  }

  /** The item of an object version, as the ledger holds it. */
  get(objectKey: string, version: string): Item | undefined {
    return this.items.get(itemKey({ objectKey, version }));
  }
}
