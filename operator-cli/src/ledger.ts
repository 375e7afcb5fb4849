import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  LEDGER_DATASET_INDEX,
  LEDGER_KEY,
  parseLedgerItem,
  type LedgerItem,
} from '@glue-platform/shared-constructs/contracts';

import type { Clients } from './clients';
import { aws } from './errors';
import type { Stage } from './stage';

const parse = (stage: Stage, raw: Record<string, AttributeValue>): LedgerItem => {
  const item = unmarshall(raw);
  return parseLedgerItem(item, `in ${stage.ledgerTable} (${String(item.objectKey)} ${String(item.version)})`);
};

/** One object version's item, read consistently (a followed upload must see the latest write). */
export async function getLedgerItem(
  clients: Clients,
  stage: Stage,
  objectKey: string,
  version: string,
): Promise<LedgerItem | undefined> {
  const answer = await aws(`reading the ledger table ${stage.ledgerTable}`, () =>
    clients.dynamodb.send(
      new GetItemCommand({
        TableName: stage.ledgerTable,
        Key: marshall({ [LEDGER_KEY.partition]: objectKey, [LEDGER_KEY.sort]: version }),
        ConsistentRead: true,
      }),
    ),
  );
  return answer.Item ? parse(stage, answer.Item) : undefined;
}

async function queryAll(
  clients: Clients,
  stage: Stage,
  input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>,
): Promise<LedgerItem[]> {
  const items: LedgerItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const answer = await aws(`querying the ledger table ${stage.ledgerTable}`, () =>
      clients.dynamodb.send(
        new QueryCommand({ ...input, TableName: stage.ledgerTable, ExclusiveStartKey: start }),
      ),
    );
    items.push(...(answer.Items ?? []).map((raw) => parse(stage, raw)));
    start = answer.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every version the ledger holds of one object (`bucket/key`), newest change first. */
export async function ledgerVersionsOf(
  clients: Clients,
  stage: Stage,
  objectKey: string,
): Promise<LedgerItem[]> {
  const items = await queryAll(clients, stage, {
    KeyConditionExpression: '#k = :k',
    ExpressionAttributeNames: { '#k': LEDGER_KEY.partition },
    ExpressionAttributeValues: marshall({ ':k': objectKey }),
    ConsistentRead: true,
  });
  return items.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** A dataset's files that changed at or after `since` (ISO), newest change first, through the `by-dataset` index. */
export async function ledgerItemsOfDataset(
  clients: Clients,
  stage: Stage,
  dataset: string,
  since: string,
): Promise<LedgerItem[]> {
  const items = await queryAll(clients, stage, {
    IndexName: LEDGER_DATASET_INDEX.name,
    KeyConditionExpression: '#d = :d AND #u >= :since',
    ExpressionAttributeNames: { '#d': LEDGER_DATASET_INDEX.partition, '#u': LEDGER_DATASET_INDEX.sort },
    ExpressionAttributeValues: marshall({ ':d': dataset, ':since': since }),
    ScanIndexForward: false,
  });
  return items;
}

/** Keeps only the newest version of each object: what the table holds for it now. */
export const latestPerObject = (items: readonly LedgerItem[]): LedgerItem[] => {
  const newest = new Map<string, LedgerItem>();
  for (const item of items) {
    const seen = newest.get(item.objectKey);
    if (!seen || item.eventTime > seen.eventTime) newest.set(item.objectKey, item);
  }
  return [...newest.values()];
};

/**
 * Writes `item` only if the ledger still holds `previous` (compared by `updatedAt`), or nothing when `previous`
 * is undefined; false when someone else wrote first. The item is checked against the contract before it is sent.
 */
export async function putLedgerItemIfUnchanged(
  clients: Clients,
  stage: Stage,
  item: LedgerItem,
  previous: LedgerItem | undefined,
): Promise<boolean> {
  const checked = parseLedgerItem(item, `to write to ${stage.ledgerTable}`);
  const condition: Pick<
    PutItemCommandInput,
    'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
  > = previous
    ? {
        ConditionExpression: '#u = :u',
        ExpressionAttributeNames: { '#u': 'updatedAt' },
        ExpressionAttributeValues: marshall({ ':u': previous.updatedAt }),
      }
    : {
        ConditionExpression: 'attribute_not_exists(#k)',
        ExpressionAttributeNames: { '#k': LEDGER_KEY.partition },
      };
  try {
    await aws(`writing to the ledger table ${stage.ledgerTable}`, () =>
      clients.dynamodb.send(
        new PutItemCommand({ TableName: stage.ledgerTable, Item: marshall(checked), ...condition }),
      ),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Puts `previous` back (or removes the item when there was none): undoing a claim whose run did not start. */
export async function restoreLedgerItem(
  clients: Clients,
  stage: Stage,
  claimed: LedgerItem,
  previous: LedgerItem | undefined,
): Promise<void> {
  const what = `restoring ${claimed.objectKey} in the ledger table ${stage.ledgerTable}`;
  if (previous) {
    await aws(what, () =>
      clients.dynamodb.send(new PutItemCommand({ TableName: stage.ledgerTable, Item: marshall(previous) })),
    );
    return;
  }
  await aws(what, () =>
    clients.dynamodb.send(
      new DeleteItemCommand({
        TableName: stage.ledgerTable,
        Key: marshall({ [LEDGER_KEY.partition]: claimed.objectKey, [LEDGER_KEY.sort]: claimed.version }),
      }),
    ),
  );
}
