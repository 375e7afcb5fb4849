import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { cli, jsonOf } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';

let emu: EmulatedStage;
beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

/** A notification as S3 sends it: the key form-encoded (`/` as `%2F`, a space as `+`). */
const notification = (key: string, versionId: string): string =>
  JSON.stringify({
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: '2026-11-23T10:14:58.123Z',
        s3: {
          bucket: { name: emu.stage.inputBucket },
          object: { key: encodeURIComponent(key).replace(/%20/g, '+'), size: 3, eTag: 'abc', versionId },
        },
      },
    ],
  });

const count = async (url: string): Promise<number> => {
  const answer = await emu.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(answer.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

interface ListJson {
  approximateCount: number;
  messages: { messageId: string; objects: string[] | null; body: string | null; receives: number }[];
}

test('an empty DLQ: list says so, --check exits 0, redrive moves nothing', async () => {
  expect(await cli(emu.server.endpoint, ['dlq', 'list'])).toMatchObject({
    code: 0,
    stdout: 'The dead-letter queue is empty.\n',
  });
  expect((await cli(emu.server.endpoint, ['dlq', 'list', '--check'])).code).toBe(0);
  expect(await cli(emu.server.endpoint, ['dlq', 'redrive'])).toMatchObject({
    code: 0,
    stdout: 'The dead-letter queue is empty; nothing to move.\n',
  });
}, 60_000);

test('list names the objects of each message, leaves them in the queue, and --check exits 1', async () => {
  const bodies = [notification('incoming/Sales-EU/2026/11/orders 1+2.csv', 'v1'), 'not json at all'];
  for (const body of bodies)
    await emu.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: emu.deadLetterQueueUrl, MessageBody: body }),
    );

  const listed = await cli(emu.server.endpoint, ['dlq', 'list', '--json']);
  expect(listed.code).toBe(0);
  const { messages } = jsonOf<ListJson>(listed);
  expect(messages.map((m) => m.objects ?? m.body).sort()).toEqual(
    [
      [`s3://${emu.stage.inputBucket}/incoming/Sales-EU/2026/11/orders 1+2.csv (version v1)`],
      'not json at all',
    ].sort(),
  );

  const table = await cli(emu.server.endpoint, ['dlq', 'list', '--check']);
  expect(table.code).toBe(1);
  expect(table.stdout).toMatch(/^2 message\(s\) in the dead-letter queue/);
  expect(table.stdout).toContain('not an S3 notification: not json at all');
  expect(await count(emu.deadLetterQueueUrl)).toBe(2);
}, 60_000);

test('redrive moves every message back to the trigger queue, bodies unchanged, and empties the DLQ', async () => {
  const before = await count(emu.deadLetterQueueUrl);
  expect(before).toBeGreaterThan(0);
  const result = await cli(emu.server.endpoint, ['dlq', 'redrive', '--json']);
  expect(result.code).toBe(0);
  expect(jsonOf<{ moved: number; failed: unknown[] }>(result)).toEqual({ moved: before, failed: [] });
  expect(await count(emu.deadLetterQueueUrl)).toBe(0);

  const received = await emu.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: emu.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  expect((received.Messages ?? []).map((m) => m.Body)).toEqual(
    expect.arrayContaining([
      'not json at all',
      notification('incoming/Sales-EU/2026/11/orders 1+2.csv', 'v1'),
    ]),
  );
  expect((await cli(emu.server.endpoint, ['dlq', 'list', '--check'])).code).toBe(0);
}, 60_000);

test('redrive --max moves at most that many', async () => {
  for (const n of [1, 2, 3])
    await emu.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: emu.deadLetterQueueUrl, MessageBody: `m${n}` }),
    );
  const result = await cli(emu.server.endpoint, ['dlq', 'redrive', '--max', '2']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('Moved 2 message(s) back to the trigger queue.');
  expect(await count(emu.deadLetterQueueUrl)).toBe(1);
}, 60_000);

test.each([
  [['dlq'], /dlq: got nothing; expected list or redrive/],
  [['dlq', 'purge'], /dlq: got "purge"; expected list or redrive/],
  [['dlq', 'redrive', '--check'], /--check goes with dlq list/],
  [['dlq', 'list', '--max', '0'], /--max: got "0"; expected a whole number >= 1/],
])('refuses %j with exit 2', async (argv, message) => {
  const result = await cli(undefined, argv);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});
