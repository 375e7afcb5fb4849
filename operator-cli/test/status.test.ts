import { cli, jsonOf } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';
import { ledgerItem, putLedgerItem, type ObjectVersion } from './support/ledger-writer';

let emu: EmulatedStage;
beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

const object = (key: string, versionId: string | null, dataset = 'Sales-EU'): ObjectVersion => ({
  bucket: emu.stage.inputBucket,
  key,
  versionId,
  eTag: `e${versionId ?? 'none'}`.padEnd(32, '0'),
  size: 10,
  dataset,
});
const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

interface StatusJson {
  items: {
    s3Uri: string;
    version: string;
    status: string;
    jobRunId: string | null;
    reportUri: string | null;
    rowsWritten: number | null;
  }[];
}

describe('status s3://bucket/key', () => {
  test('lists every version of the object, newest first, with its run and report; exit 0 when the newest succeeded', async () => {
    const key = 'incoming/Sales-EU/orders.csv';
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object(key, 'v1'), 'failed', ago(30), { eventTime: ago(31) }),
    );
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object(key, 'v2'), 'succeeded', ago(5), { eventTime: ago(6) }),
    );

    const table = await cli(emu.server.endpoint, ['status', `s3://${emu.stage.inputBucket}/${key}`]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^OBJECT\s+VERSION\s+STATUS\s+UPDATED\s+RUN\s+WRITTEN\s+QUARANTINED\s+REASON\s+REPORT$/,
    );
    expect(lines[1]).toMatch(
      / v2 +succeeded .* 8 +2 +- +s3:\/\/.*\/reports\/glue-etl-dev-file-processor\/jr_/,
    );
    expect(lines[2]).toMatch(/ v1 +failed .*failed on purpose by the test/);

    const json = jsonOf<StatusJson>(
      await cli(emu.server.endpoint, ['status', `s3://${emu.stage.inputBucket}/${key}`, '--json']),
    );
    expect(json.items.map((i) => [i.version, i.status])).toEqual([
      ['v2', 'succeeded'],
      ['v1', 'failed'],
    ]);
    expect(json.items[0]?.reportUri).toMatch(/^s3:\/\/glue-etl-dev-assets-222222222222-eu-west-1\/reports\//);
  }, 30_000);

  test('exits 1 when the newest version was quarantined', async () => {
    const key = 'incoming/Sales-EU/binary.csv';
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object(key, 'q1'), 'quarantined', ago(1)),
    );
    const result = await cli(emu.server.endpoint, ['status', `s3://${emu.stage.inputBucket}/${key}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('quarantined on purpose by the test');
  }, 30_000);

  test('exits 1 and says so when the ledger has no entry for the object', async () => {
    const result = await cli(emu.server.endpoint, [
      'status',
      `s3://${emu.stage.inputBucket}/incoming/Sales-EU/never.csv`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /No ledger entry for s3:\/\/.*never\.csv: the trigger has not read a notification/,
    );
  }, 30_000);
});

describe('status --dataset', () => {
  test('lists the files of the dataset changed within --since, from the by-dataset index', async () => {
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object('incoming/cities/new.csv', 'n1', 'cities'), 'started', ago(10)),
    );
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object('incoming/cities/old.csv', 'o1', 'cities'), 'failed', ago(300)),
    );
    await putLedgerItem(
      emu.clients,
      emu.stage,
      ledgerItem(emu.stage, object('incoming/towns/t.csv', 't1', 'towns'), 'succeeded', ago(10)),
    );

    const recent = await cli(emu.server.endpoint, [
      'status',
      '--dataset',
      'cities',
      '--since',
      '1h',
      '--json',
    ]);
    expect(recent.code).toBe(0);
    expect(jsonOf<StatusJson>(recent).items.map((i) => i.s3Uri)).toEqual([
      `s3://${emu.stage.inputBucket}/incoming/cities/new.csv`,
    ]);

    const day = await cli(emu.server.endpoint, ['status', '--dataset', 'cities', '--since', '1d']);
    expect(day.code).toBe(1);
    expect(day.stdout).toContain('incoming/cities/old.csv');
    expect(day.stdout).toContain('incoming/cities/new.csv');
    expect(day.stdout).not.toContain('towns');
  }, 30_000);

  test('says plainly when nothing changed', async () => {
    const result = await cli(emu.server.endpoint, ['status', '--dataset', 'empty_dataset']);
    expect(result).toMatchObject({
      code: 0,
      stdout: 'No file of dataset empty_dataset changed in the last 24h.\n',
    });
  }, 30_000);

  test.each([
    [['status'], /Name one s3:\/\/BUCKET\/KEY or pass --dataset D/],
    [['status', 's3://b/k', '--dataset', 'd'], /not both/],
    [['status', 'b/k'], /status: got "b\/k"; expected s3:\/\/bucket\/key/],
    [['status', '--dataset', 'd', '--since', '5 minutes'], /--since: got "5 minutes"/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const result = await cli(undefined, argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
