import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import { StartJobRunCommand } from '@aws-sdk/client-glue';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  LEDGER_ITEM_VERSION,
  LEDGER_TABLE_JOB_ARGUMENT,
  ledgerObjectKey,
  ledgerVersion,
  type LedgerItem,
} from '@glue-platform/shared-constructs/contracts';
import {
  DATASET_PATTERN,
  datasetTableName,
  MANIFEST_JOB_ARGUMENT,
  MANIFEST_VERSION,
  manifestKey,
  manifestSchema,
  type Manifest,
} from '@glue-platform/shared-constructs/src/manifest';
import { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';

import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { aws, UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { getLedgerItem, putLedgerItemIfUnchanged, restoreLedgerItem } from '../ledger';
import { printJson, renderTable } from '../output';
import { parseS3Uri } from '../parse-values';

export const REPROCESS_USAGE = `Usage: glue-platform reprocess s3://BUCKET/KEY --stage S [--force]
Runs the object's current version through file_processor again: writes a manifest naming that version, claims
it in the ledger and starts a run on the manifest. The run replaces the rows of that object, so the table never
holds them twice; the object itself is not touched (copying it onto itself would make a new version).
  --force            claim it even while the ledger shows a run in flight for this version
Exit: 0 the run started; 1 refused (a run is in flight, or the ledger changed meanwhile).
${COMMON_USAGE}`;

/** A manifest id like the trigger's (time first, so a day's manifests list in order), marked as an operator's. */
const reprocessManifestId = (now: Date, table: string): string =>
  `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-reprocess-${table}-${randomBytes(4).toString('hex')}`;

export async function reprocessCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOrExplain(REPROCESS_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, force: { type: 'boolean' } },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout(`${REPROCESS_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1 || !positionals[0]) {
    throw new UsageError(`Name exactly one s3://BUCKET/KEY\n\n${REPROCESS_USAGE}`);
  }
  const { bucket, key } = parseS3Uri(positionals[0], 'reprocess');
  const stage = stageOf(values, io);
  if (bucket !== stage.inputBucket) {
    throw new UsageError(
      `reprocess: got bucket "${bucket}"; expected the input bucket of stage ${stage.ctx.stage}, "${stage.inputBucket}"`,
    );
  }
  const dataset = key.startsWith(S3_PREFIXES.incoming)
    ? key.slice(S3_PREFIXES.incoming.length).split('/')[0]
    : undefined;
  if (!dataset || !DATASET_PATTERN.test(dataset) || key.split('/').length < 3 || !/\.csv$/i.test(key)) {
    throw new UsageError(`reprocess: got key "${key}"; expected ${S3_PREFIXES.incoming}<dataset>/<path>.csv`);
  }
  const clients = await clientsFor(stage, values, io);
  const uri = `s3://${bucket}/${key}`;

  const head = await aws(`reading ${uri}`, () =>
    clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })),
  );
  if (!head.ETag) throw new Error(`S3 HeadObject of ${uri} answered without an ETag`);
  const versionId = head.VersionId ?? null;
  const eTag = head.ETag.replace(/"/g, '');
  const objectKey = ledgerObjectKey(bucket, key);
  const version = ledgerVersion(versionId, eTag);
  const previous = await getLedgerItem(clients, stage, objectKey, version);
  if (previous && (previous.status === 'claimed' || previous.status === 'started') && !values.force) {
    io.stderr(
      `${uri} version ${version} is ${previous.status} (manifest ${previous.manifestId ?? '-'}, run ` +
        `${previous.jobRunId ?? '-'}) since ${previous.updatedAt}; follow it with glue-platform status ${uri}, ` +
        'or pass --force if that run is gone.\n',
    );
    return EXIT.attention;
  }

  const now = io.now();
  const createdAt = now.toISOString();
  const table = datasetTableName(dataset);
  const manifest: Manifest = manifestSchema.parse({
    version: MANIFEST_VERSION,
    manifestId: reprocessManifestId(now, table),
    dataset,
    table,
    createdAt,
    objects: [
      {
        bucket,
        key,
        versionId,
        eTag,
        size: head.ContentLength ?? 0,
        eventTime: previous?.eventTime ?? (head.LastModified ?? now).toISOString(),
      },
    ],
  });
  const manifestObjectKey = manifestKey(table, createdAt, manifest.manifestId);
  const manifestUri = `s3://${stage.assetsBucket}/${manifestObjectKey}`;
  await aws(`writing the manifest ${manifestUri}`, () =>
    clients.s3.send(
      new PutObjectCommand({
        Bucket: stage.assetsBucket,
        Key: manifestObjectKey,
        Body: JSON.stringify(manifest),
        ContentType: 'application/json',
      }),
    ),
  );

  const expiresAt = Math.floor(now.getTime() / 1000) + stage.ledgerRetentionDays * 86_400;
  const claimed: LedgerItem = {
    itemVersion: LEDGER_ITEM_VERSION,
    objectKey,
    version,
    bucket,
    key,
    versionId,
    eTag,
    size: head.ContentLength ?? 0,
    eventTime: manifest.objects[0]?.eventTime ?? createdAt,
    receivedAt: previous?.receivedAt ?? createdAt,
    ...previous,
    dataset,
    status: 'claimed',
    reason: null,
    updatedAt: createdAt,
    manifestId: manifest.manifestId,
    jobName: stage.jobName,
    jobRunId: null,
    rowsRead: null,
    rowsWritten: null,
    rowsQuarantined: null,
    snapshotId: null,
    reportUri: null,
    attempts: (previous?.attempts ?? 0) + 1,
    expiresAt: Math.max(previous?.expiresAt ?? 0, expiresAt),
  };
  if (!(await putLedgerItemIfUnchanged(clients, stage, claimed, previous))) {
    io.stderr(
      `The ledger entry of ${uri} changed while claiming it; look with glue-platform status ${uri} and try again.\n`,
    );
    return EXIT.attention;
  }

  let jobRunId: string;
  try {
    const answer = await aws(`starting a run of the Glue job ${stage.jobName}`, () =>
      clients.glue.send(
        new StartJobRunCommand({
          JobName: stage.jobName,
          Arguments: { [MANIFEST_JOB_ARGUMENT]: manifestUri, [LEDGER_TABLE_JOB_ARGUMENT]: stage.ledgerTable },
        }),
      ),
    );
    if (!answer.JobRunId) throw new Error(`Glue StartJobRun of ${stage.jobName} answered without a JobRunId`);
    jobRunId = answer.JobRunId;
  } catch (error) {
    // No run will read the manifest: give the version back, so the ledger does not show a claim nobody holds.
    await restoreLedgerItem(clients, stage, claimed, previous);
    throw error;
  }
  // The job may already have written its own state; then the ledger is ahead and stays so.
  await putLedgerItemIfUnchanged(
    clients,
    stage,
    { ...claimed, status: 'started', jobRunId, updatedAt: io.now().toISOString() },
    claimed,
  );

  const result = {
    s3Uri: uri,
    version,
    manifestUri,
    jobName: stage.jobName,
    jobRunId,
    attempts: claimed.attempts,
  };
  if (values.json) {
    printJson(io, result);
  } else {
    io.stdout(
      renderTable(
        [
          { header: 'OBJECT', value: (r) => r.s3Uri },
          { header: 'VERSION', value: (r) => r.version },
          { header: 'RUN', value: (r) => r.jobRunId },
          { header: 'MANIFEST', value: (r) => r.manifestUri },
        ],
        [result],
      ) + `Follow it with: glue-platform status ${uri} --stage ${stage.ctx.stage}\n`,
    );
  }
  return EXIT.ok;
}
