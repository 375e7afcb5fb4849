import { parseArgs } from 'node:util';

import { ledgerObjectKey, type LedgerItem } from '@glue-platform/shared-constructs/contracts';

import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { needsAttention, s3UriOfItem } from '../describe';
import { UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { latestPerObject, ledgerItemsOfDataset, ledgerVersionsOf } from '../ledger';
import { printJson, renderTable } from '../output';
import { parseDuration, parseS3Uri } from '../parse-values';

export const STATUS_USAGE = `Usage: glue-platform status s3://BUCKET/KEY --stage S
       glue-platform status --dataset D [--since 24h] --stage S
Each file's state from the ledger (every version of one object, or a dataset's files that changed since),
with its run, rows and report.
  --since T          how far back a dataset's changes go (default 24h)
Exit: 0 nothing needs a person; 1 the newest version of a file failed or was quarantined, or the ledger has
no entry for the object.
${COMMON_USAGE}`;

const present = (item: LedgerItem) => ({
  s3Uri: s3UriOfItem(item),
  version: item.version,
  dataset: item.dataset,
  status: item.status,
  updatedAt: item.updatedAt,
  jobRunId: item.jobRunId,
  rowsWritten: item.rowsWritten,
  rowsQuarantined: item.rowsQuarantined,
  reason: item.reason,
  reportUri: item.reportUri,
  attempts: item.attempts,
});

export async function statusCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseOrExplain(STATUS_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, dataset: { type: 'string' }, since: { type: 'string', default: '24h' } },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    io.stdout(`${STATUS_USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 1 || (positionals.length === 1) === (values.dataset !== undefined)) {
    throw new UsageError(`Name one s3://BUCKET/KEY or pass --dataset D, not both\n\n${STATUS_USAGE}`);
  }
  const object = positionals[0] ? parseS3Uri(positionals[0], 'status') : undefined;
  const sinceSeconds = parseDuration(values.since, '--since');
  const stage = stageOf(values, io);
  const clients = await clientsFor(stage, values, io);

  let items: LedgerItem[];
  let judged: LedgerItem[];
  if (object) {
    items = await ledgerVersionsOf(clients, stage, ledgerObjectKey(object.bucket, object.key));
    if (items.length === 0) {
      io.stderr(
        `No ledger entry for s3://${object.bucket}/${object.key}: the trigger has not read a notification for ` +
          'it (yet). Check the key, and the DLQ (glue-platform dlq list).\n',
      );
      return EXIT.attention;
    }
    judged = latestPerObject(items);
  } else {
    const since = new Date(io.now().getTime() - sinceSeconds * 1000).toISOString();
    items = await ledgerItemsOfDataset(clients, stage, values.dataset ?? '', since);
    judged = latestPerObject(items);
  }

  const rows = items.map(present);
  if (values.json) {
    printJson(io, { items: rows });
  } else if (rows.length === 0) {
    io.stdout(`No file of dataset ${values.dataset ?? ''} changed in the last ${values.since}.\n`);
  } else {
    io.stdout(
      renderTable(
        [
          { header: 'OBJECT', value: (r) => r.s3Uri },
          { header: 'VERSION', value: (r) => r.version },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'UPDATED', value: (r) => r.updatedAt },
          { header: 'RUN', value: (r) => r.jobRunId },
          { header: 'WRITTEN', value: (r) => r.rowsWritten },
          { header: 'QUARANTINED', value: (r) => r.rowsQuarantined },
          { header: 'REASON', value: (r) => r.reason },
          { header: 'REPORT', value: (r) => r.reportUri },
        ],
        rows,
      ),
    );
  }
  return judged.some(needsAttention) ? EXIT.attention : EXIT.ok;
}
