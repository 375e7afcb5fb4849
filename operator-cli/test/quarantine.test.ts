import {
  CreateWorkGroupCommand,
  GetQueryExecutionCommand,
  ListQueryExecutionsCommand,
} from '@aws-sdk/client-athena';

import { queueAthenaAnswer } from './support/athena-results';
import { cli, jsonOf } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';
import { ledgerItem, putLedgerItem } from './support/ledger-writer';
import { putRunReport, runReport } from './support/run-reports';

let emu: EmulatedStage;
beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

const COLUMNS = ['source_key', 'source_version', 'reason', 'raw_record', 'processed_at'];

/** The SQL text of every query the CLI started, oldest first. */
async function queriesSent(): Promise<
  { sql: string; database?: string; outputLocation?: string; workgroup?: string }[]
> {
  const ids = (await emu.clients.athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
  const executions = await Promise.all(
    ids.map((id) => emu.clients.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))),
  );
  return executions.map(({ QueryExecution: q }) => ({
    sql: q?.Query ?? '',
    database: q?.QueryExecutionContext?.Database,
    outputLocation: q?.ResultConfiguration?.OutputLocation,
    workgroup: q?.WorkGroup,
  }));
}

interface QuarantineJson {
  table: string;
  rows: Record<string, string | null>[];
  files: { s3Uri: string; reason: string; quarantinedFile: string | null }[];
}

test("lists a file's quarantined rows with their reasons, and the dataset's files quarantined whole", async () => {
  const input = emu.stage.inputBucket;
  const good = {
    bucket: input,
    key: 'incoming/Sales-EU/orders.csv',
    versionId: 'v7',
    eTag: 'e'.repeat(32),
    size: 10,
    dataset: 'Sales-EU',
  };
  const bad = {
    bucket: input,
    key: 'incoming/Sales-EU/binary.csv',
    versionId: 'v8',
    eTag: 'f'.repeat(32),
    size: 10,
    dataset: 'Sales-EU',
  };
  const quarantinedItem = ledgerItem(emu.stage, bad, 'quarantined', new Date().toISOString(), {
    reason: 'not UTF-8 text',
  });
  await putLedgerItem(
    emu.clients,
    emu.stage,
    ledgerItem(emu.stage, good, 'succeeded', new Date().toISOString()),
  );
  await putLedgerItem(emu.clients, emu.stage, quarantinedItem);
  const copy = `s3://${emu.stage.outputBucket}/quarantine/sales_eu/abc/binary.csv`;
  const report = runReport(emu.stage, quarantinedItem.jobRunId ?? '', 'Sales-EU', [
    {
      sourceKey: `${input}/${bad.key}`,
      sourceVersion: 'v8',
      status: 'quarantined',
      rowsWritten: 0,
      rowsQuarantined: 0,
      reason: 'not UTF-8 text',
      quarantinedFile: copy,
    },
  ]);
  expect(await putRunReport(emu.clients, emu.stage, report)).toBe(quarantinedItem.reportUri);
  await queueAthenaAnswer(emu.server.endpoint, emu.stage.ctx.region, COLUMNS, [
    [
      `${input}/${good.key}`,
      'v7',
      'quantity: "two" is not an int',
      '3,two,9.50',
      '2026-11-23 10:16:02.418000',
    ],
    [`${input}/${good.key}`, 'v7', 'amount: missing', '4,1,', '2026-11-23 10:16:02.418000'],
  ]);

  const result = await cli(emu.server.endpoint, ['quarantine', '--dataset', 'Sales-EU', '--json']);
  expect(result.code).toBe(1);
  const answer = jsonOf<QuarantineJson>(result);
  expect(answer.table).toBe('glue_etl_dev.sales_eu__quarantine');
  expect(answer.rows.map((r) => [r.reason, r.raw_record])).toEqual([
    ['quantity: "two" is not an int', '3,two,9.50'],
    ['amount: missing', '4,1,'],
  ]);
  expect(answer.files).toEqual([
    expect.objectContaining({
      s3Uri: `s3://${input}/${bad.key}`,
      reason: 'not UTF-8 text',
      quarantinedFile: copy,
    }),
  ]);

  const [query] = await queriesSent();
  expect(query).toEqual({
    sql: 'SELECT source_key, source_version, reason, raw_record, processed_at FROM "glue_etl_dev"."sales_eu__quarantine" ORDER BY processed_at DESC LIMIT 100',
    database: 'glue_etl_dev',
    outputLocation: expect.stringMatching(`^s3://${emu.stage.assetsBucket}/athena-results/`) as unknown,
    workgroup: 'primary',
  });
}, 60_000);

test('--file narrows the query to one source key, quoted, and prints a table', async () => {
  const key = "incoming/Sales-EU/it's.csv";
  await emu.clients.athena.send(new CreateWorkGroupCommand({ Name: 'ops' }));
  await queueAthenaAnswer(emu.server.endpoint, emu.stage.ctx.region, COLUMNS, [
    [`${emu.stage.inputBucket}/${key}`, 'v1', 'order_id: empty', ',1,2', '2026-11-23 10:16:02'],
  ]);
  const result = await cli(emu.server.endpoint, [
    'quarantine',
    '--dataset',
    'Sales-EU',
    '--file',
    key,
    '--limit',
    '5',
    '--workgroup',
    'ops',
    '--output-location',
    's3://elsewhere/results/',
  ]);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(
    /^Quarantined rows in glue_etl_dev\.sales_eu__quarantine \(newest first, at most 5\):\nSOURCE\s+VERSION\s+REASON\s+RAW RECORD\s+PROCESSED\n.*it's\.csv\s+v1\s+order_id: empty\s+,1,2\s+2026-11-23 10:16:02\n$/,
  );
  const queries = await queriesSent();
  expect(queries.map((q) => q.sql)).toContainEqual(
    `SELECT source_key, source_version, reason, raw_record, processed_at FROM "glue_etl_dev"."sales_eu__quarantine" WHERE source_key = '${emu.stage.inputBucket}/incoming/Sales-EU/it''s.csv' ORDER BY processed_at DESC LIMIT 5`,
  );
  expect(queries.find((q) => q.sql.includes('LIMIT 5'))).toMatchObject({
    workgroup: 'ops',
    outputLocation: expect.stringMatching(/^s3:\/\/elsewhere\/results\/[^/]+\.csv$/) as unknown,
  });
}, 60_000);

test('exits 0 and says so when nothing is quarantined', async () => {
  await queueAthenaAnswer(emu.server.endpoint, emu.stage.ctx.region, COLUMNS, []);
  const result = await cli(emu.server.endpoint, ['quarantine', '--dataset', 'clean']);
  expect(result).toMatchObject({
    code: 0,
    stdout: 'No quarantined rows in glue_etl_dev.clean__quarantine.\n',
  });
}, 60_000);

test('names a missing workgroup as an AWS error (exit 3)', async () => {
  const result = await cli(emu.server.endpoint, [
    'quarantine',
    '--dataset',
    'Sales-EU',
    '--workgroup',
    'nowhere',
  ]);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/Not found while starting an Athena query in workgroup nowhere/);
}, 60_000);

test.each([
  [['quarantine'], /--dataset: got nothing/],
  [['quarantine', '--dataset', 'd', '--limit', 'all'], /--limit: got "all"/],
  [
    ['quarantine', '--dataset', 'd', '--output-location', 'results/athena'],
    /--output-location: got "results\/athena"; expected s3:\/\//,
  ],
])('refuses %j with exit 2', async (argv, message) => {
  const result = await cli(undefined, argv);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});
