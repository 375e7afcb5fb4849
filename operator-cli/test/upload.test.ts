import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LedgerStatus } from '@glue-platform/shared-constructs/contracts';

import { cli, jsonOf, startCli, until } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';
import { readNotifications } from './support/fake-trigger';
import { ledgerItem, putLedgerItem, type ObjectVersion } from './support/ledger-writer';

let emu: EmulatedStage;
const folder = mkdtempSync(path.join(tmpdir(), 'glue-platform-upload-'));
const csv = (name: string, text = 'order_id,amount\n1,9.50\n2,oops\n'): string => {
  const file = path.join(folder, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

/** Writes the ledger transitions the trigger and the job would, each once the CLI has shown the previous one. */
async function playRun(
  object: ObjectVersion,
  statuses: readonly LedgerStatus[],
  shown: () => string,
): Promise<void> {
  const start = Date.now();
  for (const [i, status] of statuses.entries()) {
    const at = new Date(start + i * 1000).toISOString();
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object, status, at, {
        eventTime: new Date(start).toISOString(),
        receivedAt: new Date(start).toISOString(),
      }),
    );
    await until(`the CLI to show ${status}`, () =>
      shown().includes(
        ` ${status === 'received' ? 'queued' : status === 'started' ? 'run started' : status === 'succeeded' ? 'committed' : status}`,
      ),
    );
  }
}

describe('upload --follow', () => {
  test('follows a file through queued, claimed, run started and committed, then prints its rows', async () => {
    const file = csv('orders 1+2.csv');
    const running = startCli(emu.server.endpoint, [
      'upload',
      file,
      '--dataset',
      'Sales-EU',
      '--prefix',
      '2026/11',
      '--follow',
      '--interval',
      '0.05s',
    ]);
    const [object] = await readNotifications(emu.clients, emu.queueUrl, 'Sales-EU', 1);
    if (!object) throw new Error('no notification');
    expect(object.key).toBe('incoming/Sales-EU/2026/11/orders 1+2.csv');
    expect(object.versionId).toEqual(expect.any(String));

    await playRun(object, ['received', 'claimed', 'started', 'succeeded'], running.stdout);
    const result = await running.result;

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const order = [
      'queued',
      'claimed by a manifest',
      'run started',
      'committed: 8 rows written, 2 quarantined',
    ].map((phrase) => lines.findIndex((line) => line.includes(phrase)));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > (order[i - 1] ?? -1)))).toBe(true);
    expect(lines.find((line) => line.startsWith('orders 1+2.csv'))).toMatch(
      /^orders 1\+2\.csv\s+succeeded\s+8\s+2\s+jr_/,
    );

    const stored = await emu.clients.s3.send(
      new GetObjectCommand({
        Bucket: emu.stage.inputBucket,
        Key: object.key,
        VersionId: object.versionId ?? undefined,
      }),
    );
    expect(await stored.Body?.transformToString()).toBe('order_id,amount\n1,9.50\n2,oops\n');
  }, 60_000);

  test('exits 1 and names the reason when the job quarantines the file', async () => {
    const file = csv('binary.csv', '\u0000\u0001');
    const running = startCli(emu.server.endpoint, [
      'upload',
      file,
      '--dataset',
      'sales_q',
      '--follow',
      '--interval',
      '0.05s',
      '--json',
    ]);
    const [object] = await readNotifications(emu.clients, emu.queueUrl, 'sales_q', 1);
    if (!object) throw new Error('no notification');
    const at = new Date().toISOString();
    await putLedgerItem(emu.clients, emu.stage, ledgerItem(emu.stage, object, 'quarantined', at));
    const result = await running.result;

    expect(result.code).toBe(1);
    const [upload] = jsonOf<{ uploads: { status: string; reason: string; rowsWritten: number }[] }>(
      result,
    ).uploads;
    expect(upload).toMatchObject({
      status: 'quarantined',
      reason: 'quarantined on purpose by the test',
      rowsWritten: 0,
    });
  }, 60_000);

  test('gives up after --timeout with exit 1, saying where each file is', async () => {
    const result = await cli(emu.server.endpoint, [
      'upload',
      csv('slow.csv'),
      '--dataset',
      'slow',
      '--follow',
      '--timeout',
      '1s',
      '--interval',
      '0.1s',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Timed out after 1s: incoming\/slow\/slow\.csv is uploaded, waiting for the trigger/,
    );
  }, 30_000);
});

describe('upload', () => {
  test('uploads each file under incoming/<dataset>/ and prints its version as JSON', async () => {
    const files = [csv('a.csv'), csv('B.CSV')];
    const result = await cli(emu.server.endpoint, ['upload', ...files, '--dataset', 'plain', '--json']);
    expect(result.code).toBe(0);
    const { uploads } = jsonOf<{ uploads: { s3Uri: string; version: string; status: string }[] }>(result);
    expect(uploads.map((u) => u.s3Uri)).toEqual([
      `s3://${emu.stage.inputBucket}/incoming/plain/a.csv`,
      `s3://${emu.stage.inputBucket}/incoming/plain/B.CSV`,
    ]);
    expect(uploads.every((u) => u.status === 'uploaded' && u.version.length > 0)).toBe(true);
    await readNotifications(emu.clients, emu.queueUrl, 'plain', 2);
  }, 30_000);

  test.each([
    [['upload', 'x.csv'], /--dataset: got nothing/],
    [['upload', 'x.csv', '--dataset', 'a/b'], /--dataset: got "a\/b"/],
    [['upload', 'notes.txt', '--dataset', 'd'], /notes\.txt: expected a file ending in \.csv/],
    [['upload', '/nonexistent/x.csv', '--dataset', 'd'], /Cannot read \/nonexistent\/x\.csv/],
    [['upload', '--dataset', 'd'], /Name at least one FILE/],
    [
      ['upload', 'a/x.csv', 'b/x.csv', '--dataset', 'd'],
      /Two files would be uploaded to the same key incoming\/d\/x\.csv/,
    ],
    [['upload', 'x.csv', '--dataset', 'd', '--follow', '--timeout', 'soon'], /--timeout: got "soon"/],
    [['upload', 'x.csv', '--dataset', 'd', '--colour'], /Unknown option '--colour'/],
  ])('refuses %j with exit 2 before any AWS call', async (argv, message) => {
    const result = await cli(undefined, argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

test('in a terminal, redraws one progress line and clears it before each step and the summary', async () => {
  const file = csv('tty.csv');
  const running = startCli(
    emu.server.endpoint,
    ['upload', file, '--dataset', 'tty', '--follow', '--interval', '0.05s'],
    {},
    true,
  );
  const [object] = await readNotifications(emu.clients, emu.queueUrl, 'tty', 1);
  if (!object) throw new Error('no notification');
  await until('a progress line', () => running.stdout().includes('0/1 files done'));
  await putLedgerItem(
    emu.clients,
    emu.stage,
    ledgerItem(emu.stage, object, 'succeeded', new Date().toISOString()),
  );
  const result = await running.result;
  expect(result.code).toBe(0);
  // Each redraw starts by returning to the line's start and clearing it.
  const segments = result.stdout.split('\r\u001b[2K');
  expect(segments.some((text) => /^0\/1 files done, \d+s: uploaded$/.test(text))).toBe(true);
  expect(
    segments.some((text) =>
      /^\S+ {2}tty\.csv: committed: 8 rows written, 2 quarantined \(jr_\w+\)\n$/.test(text),
    ),
  ).toBe(true);
  expect(segments.at(-1)).toMatch(/^FILE\s+STATUS/);
}, 60_000);
