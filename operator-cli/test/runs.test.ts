import { StartJobRunCommand } from '@aws-sdk/client-glue';

import { cli, jsonOf } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';
import { putRunReport, runReport } from './support/run-reports';

let emu: EmulatedStage;
beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

/** Starts a run as the trigger does: one manifest of one dataset's table. moto records it and runs nothing. */
async function startRun(table: string): Promise<string> {
  const manifest = `s3://${emu.stage.assetsBucket}/manifests/${table}/2026-11-23/20261123T101500Z-${table}-0001.json`;
  const answer = await emu.clients.glue.send(
    new StartJobRunCommand({ JobName: emu.stage.jobName, Arguments: { '--manifest': manifest } }),
  );
  return answer.JobRunId ?? '';
}

interface RunsJson {
  jobName: string;
  runs: {
    jobRunId: string;
    table: string | null;
    state: string;
    report: { status: string; files: number; rowsWritten: number; rowsQuarantined: number } | null;
  }[];
}

test("lists the runs of file_processor with their reports; --dataset keeps that dataset's runs", async () => {
  const sales = await startRun('sales_eu');
  const cities = await startRun('cities');
  const input = emu.stage.inputBucket;
  await putRunReport(
    emu.clients,
    emu.stage,
    runReport(emu.stage, sales, 'Sales-EU', [
      {
        sourceKey: `${input}/incoming/Sales-EU/a.csv`,
        sourceVersion: 'v1',
        status: 'succeeded',
        rowsWritten: 40,
        rowsQuarantined: 2,
        reason: null,
        quarantinedFile: null,
      },
      {
        sourceKey: `${input}/incoming/Sales-EU/b.csv`,
        sourceVersion: 'v1',
        status: 'succeeded',
        rowsWritten: 10,
        rowsQuarantined: 0,
        reason: null,
        quarantinedFile: null,
      },
    ]),
  );

  const all = await cli(emu.server.endpoint, ['runs', '--json']);
  expect(all.code).toBe(0);
  const listed = jsonOf<RunsJson>(all);
  expect(listed.jobName).toBe('glue-etl-dev-file-processor');
  expect(listed.runs.map((r) => [r.jobRunId, r.table]).sort()).toEqual(
    [
      [cities, 'cities'],
      [sales, 'sales_eu'],
    ].sort(),
  );
  expect(listed.runs.find((r) => r.jobRunId === cities)?.report).toBeNull();

  const filtered = await cli(emu.server.endpoint, ['runs', '--dataset', 'Sales-EU']);
  expect(filtered.code).toBe(0);
  const lines = filtered.stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(
    /^RUN\s+STATE\s+STARTED\s+TABLE\s+FILES\s+WRITTEN\s+QUARANTINED\s+REPORT\s+ERROR$/,
  );
  expect(lines[1]).toMatch(
    new RegExp(`^${sales}\\s+\\w+\\s+\\S+\\s+sales_eu\\s+2\\s+50\\s+2\\s+succeeded\\s+-$`),
  );
}, 60_000);

test('exits 1 when a listed run reports a failed file', async () => {
  const run = await startRun('broken');
  await putRunReport(
    emu.clients,
    emu.stage,
    runReport(emu.stage, run, 'broken', [
      {
        sourceKey: `${emu.stage.inputBucket}/incoming/broken/x.csv`,
        sourceVersion: 'v1',
        status: 'failed',
        rowsWritten: 0,
        rowsQuarantined: 0,
        reason: 'the object version is gone',
        quarantinedFile: null,
      },
    ]),
  );
  const result = await cli(emu.server.endpoint, ['runs', '--dataset', 'broken', '--json']);
  expect(result.code).toBe(1);
  expect(jsonOf<RunsJson>(result).runs).toEqual([
    expect.objectContaining({
      jobRunId: run,
      report: expect.objectContaining({ status: 'failed' }) as unknown,
    }),
  ]);
}, 60_000);

test('--limit keeps the newest runs, and a dataset without runs says so', async () => {
  const limited = jsonOf<RunsJson>(await cli(emu.server.endpoint, ['runs', '--limit', '1', '--json']));
  expect(limited.runs).toHaveLength(1);
  expect(await cli(emu.server.endpoint, ['runs', '--dataset', 'never'])).toMatchObject({
    code: 0,
    stdout: 'No runs of glue-etl-dev-file-processor for dataset never.\n',
  });
}, 60_000);
