import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  isTerminalStatus,
  ledgerObjectKey,
  ledgerVersion,
  type LedgerItem,
} from '@glue-platform/shared-constructs/contracts';
import { DATASET_PATTERN } from '@glue-platform/shared-constructs/src/manifest';
import { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';

import type { Clients } from '../clients';
import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { describeItem, PHASES } from '../describe';
import { aws, UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { getLedgerItem } from '../ledger';
import { printJson, renderTable } from '../output';
import { parseDuration } from '../parse-values';
import type { Stage } from '../stage';

export const UPLOAD_USAGE = `Usage: glue-platform upload FILE... --dataset D --stage S [--follow]
Uploads CSV files to incoming/<dataset>/ of the stage's input bucket; with --follow, waits until each is
committed, quarantined, failed or skipped and prints the rows written and quarantined.
  --dataset D        the dataset (a folder name: letters, digits, _ . -)
  --prefix P         a sub-folder under the dataset folder (such as 2026/11)
  --follow           follow each file through the ledger until it reaches an end state
  --timeout T        how long to follow (default 30m)
  --interval T       how often to look (default 5s)
Exit: 0 every file committed (or uploaded, without --follow); 1 a file failed, was quarantined or skipped, or
did not finish in time.
${COMMON_USAGE}`;

interface Upload {
  readonly file: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly version: string;
  item?: LedgerItem;
}

const uploadKey = (dataset: string, prefix: string | undefined, file: string): string => {
  const folder = prefix ? `${prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  return `${S3_PREFIXES.incoming}${dataset}/${folder}${path.basename(file)}`;
};

async function putFile(clients: Clients, stage: Stage, file: string, key: string): Promise<Upload> {
  const body = await readFile(file);
  const answer = await aws(`uploading ${file} to s3://${stage.inputBucket}/${key}`, () =>
    clients.s3.send(
      new PutObjectCommand({ Bucket: stage.inputBucket, Key: key, Body: body, ContentType: 'text/csv' }),
    ),
  );
  if (!answer.ETag) throw new Error(`S3 PutObject of ${key} answered without an ETag`);
  const versionId = answer.VersionId ?? null;
  return { file, bucket: stage.inputBucket, key, versionId, version: ledgerVersion(versionId, answer.ETag) };
}

const statusOf = (upload: Upload): string => upload.item?.status ?? 'uploaded';

async function follow(
  io: CliIo,
  clients: Clients,
  stage: Stage,
  uploads: readonly Upload[],
  timeoutSeconds: number,
  intervalSeconds: number,
  json: boolean,
): Promise<boolean> {
  const deadline = io.now().getTime() + timeoutSeconds * 1000;
  const started = io.now().getTime();
  const log = (text: string) => (json ? io.stderr(text) : io.stdout(text));
  const clearLine = () => io.interactive && !json && io.stdout('\r\x1b[2K');
  for (;;) {
    for (const upload of uploads) {
      if (upload.item && isTerminalStatus(upload.item.status)) continue;
      const objectKey = ledgerObjectKey(upload.bucket, upload.key);
      const item = await getLedgerItem(clients, stage, objectKey, upload.version);
      if (item && item.updatedAt !== upload.item?.updatedAt) {
        upload.item = item;
        clearLine();
        log(`${item.updatedAt}  ${path.basename(upload.file)}: ${describeItem(item)}\n`);
      }
    }
    const done = uploads.filter((u) => u.item && isTerminalStatus(u.item.status)).length;
    if (done === uploads.length) {
      clearLine();
      return true;
    }
    if (io.now().getTime() >= deadline) {
      clearLine();
      return false;
    }
    if (io.interactive && !json) {
      const waited = Math.round((io.now().getTime() - started) / 1000);
      io.stdout(
        `\r\x1b[2K${done}/${uploads.length} files done, ${waited}s: ${uploads.map(statusOf).join(', ')}`,
      );
    }
    await io.sleep(intervalSeconds * 1000);
  }
}

export async function uploadCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOrExplain(UPLOAD_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: {
        ...COMMON_OPTIONS,
        dataset: { type: 'string' },
        prefix: { type: 'string' },
        follow: { type: 'boolean' },
        timeout: { type: 'string', default: '30m' },
        interval: { type: 'string', default: '5s' },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout(`${UPLOAD_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError(`Name at least one FILE to upload\n\n${UPLOAD_USAGE}`);
  if (!values.dataset || !DATASET_PATTERN.test(values.dataset)) {
    throw new UsageError(
      `--dataset: got ${values.dataset ? `"${values.dataset}"` : 'nothing'}; expected a folder name of ` +
        `letters, digits, _ . - (${DATASET_PATTERN.source})`,
    );
  }
  for (const file of positionals) {
    if (!/\.csv$/i.test(file)) {
      throw new UsageError(`${file}: expected a file ending in .csv; the trigger skips any other upload`);
    }
  }
  const keys = positionals.map((file) => uploadKey(values.dataset ?? '', values.prefix, file));
  const twice = keys.filter((key, i) => keys.indexOf(key) !== i);
  if (twice.length > 0) {
    throw new UsageError(
      `Two files would be uploaded to the same key ${twice.join(', ')}; upload them separately`,
    );
  }
  const timeout = parseDuration(values.timeout, '--timeout');
  const interval = parseDuration(values.interval, '--interval');
  const stage = stageOf(values, io);
  const missing = await Promise.all(
    positionals.map((file) =>
      readFile(file).then(
        () => undefined,
        () => file,
      ),
    ),
  );
  const unreadable = missing.filter((f): f is string => f !== undefined);
  if (unreadable.length > 0) throw new UsageError(`Cannot read ${unreadable.join(', ')}`);

  const clients = await clientsFor(stage, values, io);
  const uploads: Upload[] = [];
  for (const file of positionals) {
    const upload = await putFile(clients, stage, file, uploadKey(values.dataset, values.prefix, file));
    uploads.push(upload);
    if (!values.json) {
      io.stdout(`uploaded ${file} to s3://${upload.bucket}/${upload.key} (version ${upload.version})\n`);
    }
  }
  let finished = true;
  if (values.follow)
    finished = await follow(io, clients, stage, uploads, timeout, interval, values.json ?? false);

  const rows = uploads.map((u) => ({
    file: u.file,
    s3Uri: `s3://${u.bucket}/${u.key}`,
    version: u.version,
    status: statusOf(u),
    rowsWritten: u.item?.rowsWritten ?? null,
    rowsQuarantined: u.item?.rowsQuarantined ?? null,
    jobRunId: u.item?.jobRunId ?? null,
    reportUri: u.item?.reportUri ?? null,
    reason: u.item?.reason ?? null,
  }));
  if (values.json) {
    printJson(io, { uploads: rows, finished });
  } else if (values.follow) {
    io.stdout(
      renderTable(
        [
          { header: 'FILE', value: (r) => path.basename(r.file) },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'ROWS WRITTEN', value: (r) => r.rowsWritten },
          { header: 'QUARANTINED', value: (r) => r.rowsQuarantined },
          { header: 'RUN', value: (r) => r.jobRunId },
          { header: 'REASON', value: (r) => r.reason },
        ],
        rows,
      ),
    );
  }
  if (!finished) {
    const waiting = uploads.filter((u) => !u.item || !isTerminalStatus(u.item.status));
    io.stderr(
      `Timed out after ${values.timeout}: ${waiting
        .map((u) => `${u.key} is ${PHASES[u.item?.status ?? 'uploaded']}`)
        .join('; ')}. Follow on with: glue-platform status s3://${stage.inputBucket}/<key>\n`,
    );
    return EXIT.attention;
  }
  return values.follow && rows.some((r) => r.status !== 'succeeded') ? EXIT.attention : EXIT.ok;
}
