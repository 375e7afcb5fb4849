import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';

import { writeConditionally, type LedgerWrite } from '../src/ledger';

import { ledger, ledgerMock, resetAwsMocks } from './support/aws-mocks';
import { LEDGER_TABLE, testDeps } from './support/events';

beforeEach(() => {
  resetAwsMocks();
});

const table = () => ({ client: testDeps().clients.ledger, tableName: LEDGER_TABLE, retentionDays: 30 });

const fresh = (index: number): LedgerWrite => ({
  key: { objectKey: `bucket/incoming/sales/${index}.csv`, version: `v${index}` },
  set: { status: 'received', note: `item ${index}` },
  condition: { kind: 'new' },
});

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('writeConditionally', () => {
  test('sends at most 100 items per transaction, each with its own condition', async () => {
    const result = await writeConditionally(
      table(),
      Array.from({ length: 250 }, (_, index) => fresh(index)),
    );

    const sizes = ledgerMock
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.length);
    expect([sizes, result.written.length, result.calls]).toEqual([[100, 100, 50], 250, 3]);
    const [first] = ledgerMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(first?.Update).toEqual({
      TableName: LEDGER_TABLE,
      Key: { objectKey: 'bucket/incoming/sales/0.csv', version: 'v0' },
      UpdateExpression: 'SET #status = :v1, #note = :v2',
      ConditionExpression: 'attribute_not_exists(#objectKey)',
      ExpressionAttributeNames: { '#status': 'status', '#note': 'note', '#objectKey': 'objectKey' },
      ExpressionAttributeValues: { ':v1': 'received', ':v2': 'item 0' },
    });
  });

  test.each([
    ['new', { kind: 'new' }],
    ['new-or-status', { kind: 'new-or-status', status: 'received' }],
    ['held-by', { kind: 'held-by', status: 'claimed', manifestId: 'm1' }],
    ['held-by with updatedAt', { kind: 'held-by', status: 'claimed', manifestId: 'm1', updatedAt: 't0' }],
  ] as const)(
    'a %s write names only the attributes its expressions use, as DynamoDB requires',
    async (_, condition) => {
      await writeConditionally(table(), [{ ...fresh(7), condition }]);

      const [item] = ledgerMock.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      const update = item?.Update;
      const expressions = `${update?.UpdateExpression} ${update?.ConditionExpression}`;
      const unused = Object.keys(update?.ExpressionAttributeNames ?? {}).filter(
        (placeholder) => !new RegExp(`${placeholder}\\b`).test(expressions),
      );
      expect(unused).toEqual([]);
    },
  );

  test('an item whose condition fails is left out and the rest are sent again', async () => {
    await writeConditionally(table(), [fresh(1)]);

    const result = await writeConditionally(table(), [fresh(0), fresh(1), fresh(2)]);

    expect([result.written.sort(), result.rejected, result.calls]).toEqual([[0, 2], [1], 2]);
    expect(ledger.get('bucket/incoming/sales/2.csv', 'v2')).toMatchObject({ status: 'received' });
  });

  test('a transaction cancelled only by a conflicting writer is sent again as it was', async () => {
    ledgerMock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'TransactionConflict']))
      .callsFake((input: TransactWriteCommandInput) => ledger.transactWrite(input));

    const result = await writeConditionally(table(), [fresh(0), fresh(1)]);

    expect([result.written, result.calls]).toEqual([[0, 1], 2]);
  });

  test('conflicts that do not clear, and any other cancellation, are thrown', async () => {
    ledgerMock.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict']));
    await expect(writeConditionally(table(), [fresh(0)])).rejects.toThrow(TransactionCanceledException);

    ledgerMock.on(TransactWriteCommand).rejects(cancelled(['ValidationError']));
    await expect(writeConditionally(table(), [fresh(0)])).rejects.toThrow(TransactionCanceledException);
  });

  test('if_not_exists keeps the first value and an increment counts from zero', async () => {
    const write = (note: string): LedgerWrite => ({
      key: { objectKey: 'bucket/k', version: 'v' },
      set: { status: 'received', note },
      setIfAbsent: { receivedAt: note },
      increment: 'attempts',
      condition: { kind: 'new-or-status', status: 'received' },
    });

    await writeConditionally(table(), [write('first')]);
    await writeConditionally(table(), [write('second')]);

    expect(ledger.get('bucket/k', 'v')).toEqual({
      objectKey: 'bucket/k',
      version: 'v',
      status: 'received',
      note: 'second',
      receivedAt: 'first',
      attempts: 2,
    });
  });
});
