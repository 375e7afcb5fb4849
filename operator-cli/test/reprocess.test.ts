import { DeleteJobCommand, GetJobRunsCommand } from '@aws-sdk/client-glue';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ledgerObjectKey, parseLedgerItem } from '@glue-platform/shared-constructs/contracts';
import { manifestSchema } from '@glue-platform/shared-constructs/src/manifest';

import { getLedgerItem } from '../src/ledger';

import { cli, jsonOf } from './support/cli';
import { startEmulatedStage, type EmulatedStage } from './support/emulated-stage';
import { ledgerItem, putLedgerItem } from './support/ledger-writer';

let emu: EmulatedStage;
beforeAll(async () => {
  emu = await startEmulatedStage();
}, 90_000);
afterAll(async () => {
  await emu?.server.stop();
});

async function putVersion(key: string, body: string): Promise<{ versionId: string; eTag: string }> {
  const answer = await emu.clients.s3.send(
    new PutObjectCommand({ Bucket: emu.stage.inputBucket, Key: key, Body: body }),
  );
  return { versionId: answer.VersionId ?? '', eTag: (answer.ETag ?? '').replace(/"/g, '') };
}
const versionCount = async (key: string): Promise<number> =>
  (
    (await emu.clients.s3.send(new ListObjectVersionsCommand({ Bucket: emu.stage.inputBucket, Prefix: key })))
      .Versions ?? []
  ).length;
const manifestKeys = async (): Promise<string[]> =>
  (
    (
      await emu.clients.s3.send(
        new ListObjectsV2Command({ Bucket: emu.stage.assetsBucket, Prefix: 'manifests/' }),
      )
    ).Contents ?? []
  ).map((o) => o.Key ?? '');

interface ReprocessJson {
  s3Uri: string;
  version: string;
  manifestUri: string;
  jobRunId: string;
  attempts: number;
}

test('writes a manifest naming the current version, claims it, and starts file_processor on it without copying the object', async () => {
  const key = 'incoming/Sales-EU/2026/orders 1+2.csv';
  await putVersion(key, 'id\n1\n');
  const current = await putVersion(key, 'id\n1\n2\n');
  const object = {
    bucket: emu.stage.inputBucket,
    key,
    versionId: current.versionId,
    eTag: current.eTag,
    size: 7,
    dataset: 'Sales-EU',
  };
  await putLedgerItem(
    emu.clients,
    emu.stage,
    ledgerItem(emu.stage, object, 'failed', '2026-11-23T10:00:00.000Z'),
  );

  const result = await cli(emu.server.endpoint, [
    'reprocess',
    `s3://${emu.stage.inputBucket}/${key}`,
    '--json',
  ]);
  expect(result.code).toBe(0);
  const answer = jsonOf<ReprocessJson>(result);
  expect(answer).toMatchObject({ version: current.versionId, attempts: 2 });

  // The manifest names exactly the current version, under the trigger's key layout.
  const manifestPath = answer.manifestUri.replace(`s3://${emu.stage.assetsBucket}/`, '');
  expect(manifestPath).toMatch(
    /^manifests\/sales_eu\/\d{4}-\d{2}-\d{2}\/\d{8}T\d{6}Z-reprocess-sales_eu-[0-9a-f]{8}\.json$/,
  );
  const stored = await emu.clients.s3.send(
    new GetObjectCommand({ Bucket: emu.stage.assetsBucket, Key: manifestPath }),
  );
  const manifest = manifestSchema.parse(JSON.parse((await stored.Body?.transformToString()) ?? ''));
  expect(manifest).toMatchObject({ dataset: 'Sales-EU', table: 'sales_eu' });
  expect(manifest.objects).toEqual([
    expect.objectContaining({
      bucket: emu.stage.inputBucket,
      key,
      versionId: current.versionId,
      eTag: current.eTag,
      size: 7,
    }),
  ]);

  // The run was started on that manifest, with the ledger table.
  const runs = await emu.clients.glue.send(new GetJobRunsCommand({ JobName: emu.stage.jobName }));
  const run = runs.JobRuns?.find((r) => r.Id === answer.jobRunId);
  expect(run?.Arguments).toEqual({
    '--manifest': answer.manifestUri,
    '--ledger_table': emu.stage.ledgerTable,
  });

  // The ledger records the new claim and its run; the object has no new version.
  const item = await getLedgerItem(
    emu.clients,
    emu.stage,
    ledgerObjectKey(emu.stage.inputBucket, key),
    current.versionId,
  );
  expect(parseLedgerItem(item)).toMatchObject({
    status: 'started',
    jobRunId: answer.jobRunId,
    manifestId: manifest.manifestId,
    attempts: 2,
    reason: null,
    rowsWritten: null,
  });
  expect(await versionCount(key)).toBe(2);
}, 30_000);

test('claims a version the ledger has never seen', async () => {
  const key = 'incoming/fresh/first.csv';
  const current = await putVersion(key, 'a\n1\n');
  const result = await cli(emu.server.endpoint, ['reprocess', `s3://${emu.stage.inputBucket}/${key}`]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    /Follow it with: glue-platform status s3:\/\/.*\/incoming\/fresh\/first\.csv --stage dev/,
  );
  const item = await getLedgerItem(
    emu.clients,
    emu.stage,
    ledgerObjectKey(emu.stage.inputBucket, key),
    current.versionId,
  );
  expect(item).toMatchObject({ status: 'started', dataset: 'fresh', attempts: 1 });
  // It expires when the config's fileLedger.retentionDays says, as the trigger's and the job's items do.
  const days = (Number(item?.expiresAt) - Date.parse(String(item?.updatedAt)) / 1000) / 86_400;
  expect(Math.round(days)).toBe(emu.stage.ledgerRetentionDays);
}, 30_000);

test('refuses with exit 1 while a run holds the version, and starts nothing', async () => {
  const key = 'incoming/busy/now.csv';
  const current = await putVersion(key, 'a\n1\n');
  const object = {
    bucket: emu.stage.inputBucket,
    key,
    versionId: current.versionId,
    eTag: current.eTag,
    size: 4,
    dataset: 'busy',
  };
  await putLedgerItem(
    emu.clients,
    emu.stage,
    ledgerItem(emu.stage, object, 'started', new Date().toISOString()),
  );
  const before = await manifestKeys();

  const result = await cli(emu.server.endpoint, ['reprocess', `s3://${emu.stage.inputBucket}/${key}`]);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/is started \(manifest test-manifest, run jr_.*\).*--force/);
  expect(await manifestKeys()).toEqual(before);

  const forced = await cli(emu.server.endpoint, [
    'reprocess',
    `s3://${emu.stage.inputBucket}/${key}`,
    '--force',
  ]);
  expect(forced.code).toBe(0);
}, 30_000);

test('names a missing object as an AWS error (exit 3)', async () => {
  const result = await cli(emu.server.endpoint, [
    'reprocess',
    `s3://${emu.stage.inputBucket}/incoming/gone/x.csv`,
  ]);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/reading s3:\/\/.*incoming\/gone\/x\.csv/);
}, 30_000);

test.each([
  [['reprocess'], /Name exactly one s3:\/\/BUCKET\/KEY/],
  [
    ['reprocess', 's3://other-bucket/incoming/d/x.csv'],
    /got bucket "other-bucket"; expected the input bucket of stage dev/,
  ],
  [
    ['reprocess', 's3://glue-etl-dev-input-222222222222-eu-west-1/elsewhere/x.csv'],
    /expected incoming\/<dataset>\/<path>\.csv/,
  ],
  [
    ['reprocess', 's3://glue-etl-dev-input-222222222222-eu-west-1/incoming/d/x.txt'],
    /expected incoming\/<dataset>\/<path>\.csv/,
  ],
])('refuses %j with exit 2', async (argv, message) => {
  const result = await cli(undefined, argv);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});

test('gives the claim back when the run cannot start (exit 3), so the ledger shows no claim nobody holds', async () => {
  const key = 'incoming/nojob/x.csv';
  const current = await putVersion(key, 'a\n1\n');
  const object = {
    bucket: emu.stage.inputBucket,
    key,
    versionId: current.versionId,
    eTag: current.eTag,
    size: 4,
    dataset: 'nojob',
  };
  const before = ledgerItem(emu.stage, object, 'failed', '2026-11-23T10:00:00.000Z');
  await putLedgerItem(emu.clients, emu.stage, before);
  await emu.clients.glue.send(new DeleteJobCommand({ JobName: emu.stage.jobName }));

  const result = await cli(emu.server.endpoint, ['reprocess', `s3://${emu.stage.inputBucket}/${key}`]);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(/starting a run of the Glue job glue-etl-dev-file-processor/);
  expect(
    await getLedgerItem(
      emu.clients,
      emu.stage,
      ledgerObjectKey(emu.stage.inputBucket, key),
      current.versionId,
    ),
  ).toEqual(before);
}, 30_000);
