import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';

import { cli, jsonOf, startCli } from '../../../operator-cli/test/support/cli';
import { startLocalPlatform, type LocalPlatform } from '../local-platform';

/**
 * The whole path on moto: the CLI uploads, the real trigger handler reads the queue, the real job runs on local
 * Spark against the emulator, and `status` and the Iceberg tables show the outcome. One Spark run takes every
 * file; the re-sent notification afterwards starts none.
 */
let platform: LocalPlatform;
const folder = mkdtempSync(path.join(tmpdir(), 'platform-e2e-'));
const DATASET = 'orders';
const PREFIX = 'e2e run';
const HEADER = 'order_id,amount,order_date\n';

const file = (name: string, content: string | Buffer): string => {
  const target = path.join(folder, name);
  writeFileSync(target, content);
  return target;
};

/** Each upload: its file name (the key's last part), its content, the order ids it should commit. */
const CASES = {
  hashAndQuestion: ['orders #1?.csv', `${HEADER}1,10.50,2026-11-01\n2,11.00,2026-11-01\n`],
  spaceAndPlus: ['late orders a+b.csv', `${HEADER}3,12.25,2026-11-02\n`],
  unicode: ['Bestellungen Größe 注文.csv', `${HEADER}4,13.00,2026-11-03\n`],
  malformed: [
    'malformed.csv',
    `${HEADER}5,14.00,2026-11-04\n6,15.00,2026-11-04,surplus\nN/A,16.00,2026-11-04\n`,
  ],
  notUtf8: [
    'latin1.csv',
    Buffer.concat([Buffer.from(HEADER), Buffer.from('7,1.00,2026-11-05,M\xfcller\n', 'latin1')]),
  ],
} as const;
const REPLACED = 'replaced.csv';

const keyOf = (name: string): string => `incoming/${DATASET}/${PREFIX}/${name}`;

beforeAll(async () => {
  platform = await startLocalPlatform();
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

interface StatusItem {
  s3Uri: string;
  version: string;
  status: string;
  rowsWritten: number | null;
  rowsQuarantined: number | null;
  reason: string | null;
}

async function queuedMessages(): Promise<number> {
  const answer = await platform.emu.clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: platform.emu.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** A copy of one upload's notification still on the queue, sent as a second message: S3 delivers at least once. */
async function duplicateOneNotification(): Promise<string> {
  const { sqs } = platform.emu.clients;
  const queueUrl = platform.emu.queueUrl;
  const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  const messages = answer.Messages ?? [];
  // Not the test event S3 sends when the notification configuration is saved: a notification of an object.
  const upload = messages.find((message) => message.Body?.includes('ObjectCreated:'));
  if (!upload?.Body) throw new Error('no upload notification on the queue to duplicate');
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: upload.Body }));
  for (const message of messages) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: message.ReceiptHandle ?? '',
        VisibilityTimeout: 0,
      }),
    );
  }
  return upload.Body;
}

test('uploads of awkward keys, a duplicate, a new version, a malformed and a non-UTF-8 file end in the right states and rows', async () => {
  const endpoint = platform.endpoint;
  // The first version of a key, replaced before the trigger sees either: its rows must never reach the table.
  const first = await cli(endpoint, [
    'upload',
    file(REPLACED, `${HEADER}100,1.00,2026-11-06\n101,1.00,2026-11-06\n`),
    '--dataset',
    DATASET,
    '--prefix',
    PREFIX,
  ]);
  expect(first.code).toBe(0);

  const uploads = [
    ...Object.values(CASES).map(([name, content]) => file(name, content)),
    file(REPLACED, `${HEADER}102,2.00,2026-11-07\n`),
  ];
  const following = startCli(endpoint, [
    'upload',
    ...uploads,
    '--dataset',
    DATASET,
    '--prefix',
    PREFIX,
    '--follow',
    '--interval',
    '1s',
    '--json',
  ]);
  // Every upload's notification is on the queue before the trigger reads it, so one batch and one run take all.
  const expected = 1 + uploads.length;
  const deadline = Date.now() + 30_000;
  while ((await queuedMessages()) < expected) {
    if (Date.now() > deadline) throw new Error(`fewer than ${expected} notifications arrived`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const duplicated = await duplicateOneNotification();

  const delivery = await platform.trigger();
  // Both copies reach the handler in the one batch; the objects of the two are one, handed to one run.
  const { eTag } = (JSON.parse(duplicated) as { Records: { s3: { object: { eTag: string } } }[] }).Records[0]
    ?.s3.object ?? { eTag: 'none' };
  expect(delivery.bodies.filter((body) => body.includes(`"eTag":"${eTag}"`))).toHaveLength(2);
  expect(delivery.failed).toBe(0);
  const runs = await platform.runJobs();
  expect(runs.map((run) => run.status)).toEqual(['SUCCEEDED']);

  const followed = await following.result;
  // A quarantined file ends `upload --follow` with 1, naming it.
  // (its progress goes to stderr with --json; shown only when the exit code is not the expected one)
  expect([followed.code, followed.code === 1 ? '' : followed.stderr.slice(-3000)]).toEqual([1, '']);
  const byKey = new Map(
    jsonOf<{ uploads: { s3Uri: string; status: string }[] }>(followed).uploads.map((u) => [
      u.s3Uri.split('/').slice(3).join('/'),
      u.status,
    ]),
  );
  expect(Object.fromEntries(byKey)).toEqual({
    [keyOf(CASES.hashAndQuestion[0])]: 'succeeded',
    [keyOf(CASES.spaceAndPlus[0])]: 'succeeded',
    [keyOf(CASES.unicode[0])]: 'succeeded',
    [keyOf(CASES.malformed[0])]: 'succeeded',
    [keyOf(CASES.notUtf8[0])]: 'quarantined',
    [keyOf(REPLACED)]: 'succeeded',
  });

  // The same notification once more, after its run: acknowledged, and no second run.
  const again = delivery.bodies.find((body) => body.includes('malformed.csv'));
  if (!again) throw new Error('the malformed file was never delivered');
  await platform.resend(again);
  expect(await platform.trigger()).toMatchObject({ messages: 1, failed: 0 });
  expect(await platform.runJobs()).toEqual([]);

  const status = await cli(endpoint, ['status', '--dataset', DATASET, '--json']);
  const items = jsonOf<{ items: StatusItem[] }>(status).items;
  const states = items
    .map((i) => [i.s3Uri.split('/').slice(3).join('/'), i.status, i.rowsWritten, i.rowsQuarantined])
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
  expect(states).toEqual(
    [
      [keyOf(CASES.hashAndQuestion[0]), 'succeeded', 2, 0],
      [keyOf(CASES.spaceAndPlus[0]), 'succeeded', 1, 0],
      [keyOf(CASES.unicode[0]), 'succeeded', 1, 0],
      [keyOf(CASES.malformed[0]), 'succeeded', 1, 2],
      [keyOf(CASES.notUtf8[0]), 'quarantined', 0, 0],
      [keyOf(REPLACED), 'skipped', null, null],
      [keyOf(REPLACED), 'succeeded', 1, 0],
    ].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
  );

  const table = `glue_catalog.${platform.emu.stage.database}.${DATASET}`;
  const [rows, quarantined] = await platform.query([
    `SELECT order_id, source_key FROM ${table} ORDER BY order_id`,
    `SELECT source_key, reason FROM ${table}__quarantine ORDER BY reason`,
  ]);
  // Every row names the object it came from as `<bucket>/<key>`, the key exactly as uploaded.
  const uri = (name: string) => `${platform.emu.stage.inputBucket}/${keyOf(name)}`;
  expect(rows).toEqual([
    { order_id: 1, source_key: uri(CASES.hashAndQuestion[0]) },
    { order_id: 2, source_key: uri(CASES.hashAndQuestion[0]) },
    { order_id: 3, source_key: uri(CASES.spaceAndPlus[0]) },
    { order_id: 4, source_key: uri(CASES.unicode[0]) },
    { order_id: 5, source_key: uri(CASES.malformed[0]) },
    { order_id: 102, source_key: uri(REPLACED) },
  ]);
  expect(quarantined?.map((row) => row.source_key)).toEqual([
    uri(CASES.malformed[0]),
    uri(CASES.malformed[0]),
  ]);
}, 300_000);
