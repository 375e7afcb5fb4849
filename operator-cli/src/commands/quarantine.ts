import { parseArgs } from 'node:util';

import type { LedgerItem } from '@glue-platform/shared-constructs/contracts';
import { DATASET_PATTERN, datasetTableName } from '@glue-platform/shared-constructs/src/manifest';
import { OPERATOR_ATHENA_RESULTS_PREFIX } from '@glue-platform/shared-constructs/src/naming';

import { runQuery, sqlName, sqlString } from '../athena';
import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { s3UriOfItem } from '../describe';
import { UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { ledgerItemsOfDataset } from '../ledger';
import { printJson, renderTable } from '../output';
import { parseCount, parseDuration, parseS3Uri } from '../parse-values';
import { ReportCache } from '../reports';
import type { Stage } from '../stage';

export const QUARANTINE_USAGE = `Usage: glue-platform quarantine --dataset D [--file KEY] --stage S
A dataset's quarantined rows with their reasons (from the table <table>__quarantine, through Athena) and the
files quarantined whole (from the ledger and the run reports).
  --dataset D          the dataset
  --file KEY           only this file: s3://BUCKET/KEY, or a key in the input bucket (incoming/<dataset>/...)
  --since T            how far back whole quarantined files are listed (default 7d)
  --limit N            at most this many rows (default 100)
  --workgroup W        the Athena workgroup (default primary)
  --output-location U  where Athena writes results (default s3://<assets bucket>/${OPERATOR_ATHENA_RESULTS_PREFIX})
Exit: 0 nothing quarantined; 1 rows or files are quarantined.
${COMMON_USAGE}`;

const QUERY_TIMEOUT_SECONDS = 300;

/** `bucket/key` as the quarantine table's `source_key` column holds it. */
function sourceKeyOf(stage: Stage, file: string): string {
  if (file.startsWith('s3://')) {
    const { bucket, key } = parseS3Uri(file, '--file');
    return `${bucket}/${key}`;
  }
  return `${stage.inputBucket}/${file.replace(/^\/+/, '')}`;
}

interface QuarantinedFile {
  readonly s3Uri: string;
  readonly version: string;
  readonly reason: string | null;
  readonly jobRunId: string | null;
  /** Where the job copied the file whole. */
  readonly quarantinedFile: string | null;
  readonly reportUri: string | null;
}

async function quarantinedFiles(
  reports: ReportCache,
  items: readonly LedgerItem[],
): Promise<QuarantinedFile[]> {
  return Promise.all(
    items.map(async (item) => {
      const report = item.reportUri ? await reports.get(item.reportUri) : undefined;
      const entry = report?.files.find(
        (f) => f.sourceKey === item.objectKey && (f.sourceVersion ?? null) === item.versionId,
      );
      return {
        s3Uri: s3UriOfItem(item),
        version: item.version,
        reason: item.reason,
        jobRunId: item.jobRunId,
        quarantinedFile: entry?.quarantinedFile ?? null,
        reportUri: item.reportUri,
      };
    }),
  );
}

export async function quarantineCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseOrExplain(QUARANTINE_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: {
        ...COMMON_OPTIONS,
        dataset: { type: 'string' },
        file: { type: 'string' },
        since: { type: 'string', default: '7d' },
        limit: { type: 'string', default: '100' },
        workgroup: { type: 'string', default: 'primary' },
        'output-location': { type: 'string' },
      },
    }),
  );
  if (values.help) {
    io.stdout(`${QUARANTINE_USAGE}\n`);
    return EXIT.ok;
  }
  if (!values.dataset || !DATASET_PATTERN.test(values.dataset)) {
    throw new UsageError(
      `--dataset: got ${values.dataset ? `"${values.dataset}"` : 'nothing'}; expected a dataset folder name\n\n${QUARANTINE_USAGE}`,
    );
  }
  const limit = parseCount(values.limit, '--limit');
  const sinceSeconds = parseDuration(values.since, '--since');
  const stage = stageOf(values, io);
  const outputLocation =
    values['output-location'] ?? `s3://${stage.assetsBucket}/${OPERATOR_ATHENA_RESULTS_PREFIX}`;
  if (!outputLocation.startsWith('s3://')) {
    throw new UsageError(`--output-location: got "${outputLocation}"; expected s3://bucket/prefix/`);
  }
  const sourceKey = values.file ? sourceKeyOf(stage, values.file) : undefined;
  const clients = await clientsFor(stage, values, io);

  const since = new Date(io.now().getTime() - sinceSeconds * 1000).toISOString();
  const items = (await ledgerItemsOfDataset(clients, stage, values.dataset, since)).filter(
    (item) => item.status === 'quarantined' && (!sourceKey || item.objectKey === sourceKey),
  );
  const files = await quarantinedFiles(new ReportCache(clients), items);

  const table = `${datasetTableName(values.dataset)}__quarantine`;
  const where = sourceKey ? `WHERE source_key = ${sqlString(sourceKey)} ` : '';
  const sql =
    `SELECT source_key, source_version, reason, raw_record, processed_at FROM ${sqlName(stage.database)}.${sqlName(table)} ` +
    `${where}ORDER BY processed_at DESC LIMIT ${limit}`;
  const answer = await runQuery(io, clients, sql, {
    workgroup: values.workgroup,
    outputLocation,
    database: stage.database,
    timeoutSeconds: QUERY_TIMEOUT_SECONDS,
  });

  if (values.json) {
    printJson(io, {
      table: `${stage.database}.${table}`,
      queryExecutionId: answer.queryExecutionId,
      tableExists: !answer.missingTable,
      rows: answer.rows,
      files,
    });
  } else {
    if (files.length > 0) {
      io.stdout(`Files quarantined whole (since ${since}):\n`);
      io.stdout(
        renderTable(
          [
            { header: 'OBJECT', value: (f) => f.s3Uri },
            { header: 'VERSION', value: (f) => f.version },
            { header: 'REASON', value: (f) => f.reason },
            { header: 'COPY', value: (f) => f.quarantinedFile },
            { header: 'RUN', value: (f) => f.jobRunId },
          ],
          files,
        ),
      );
    }
    if (answer.missingTable) {
      io.stdout(
        `No quarantined rows: ${stage.database}.${table} does not exist yet (no row was ever quarantined).\n`,
      );
    } else if (answer.rows.length === 0) {
      io.stdout(
        `No quarantined rows in ${stage.database}.${table}${sourceKey ? ` for ${sourceKey}` : ''}.\n`,
      );
    } else {
      io.stdout(`Quarantined rows in ${stage.database}.${table} (newest first, at most ${limit}):\n`);
      io.stdout(
        renderTable(
          [
            { header: 'SOURCE', value: (r) => r.source_key },
            { header: 'VERSION', value: (r) => r.source_version },
            { header: 'REASON', value: (r) => r.reason },
            { header: 'RAW RECORD', value: (r) => r.raw_record },
            { header: 'PROCESSED', value: (r) => r.processed_at },
          ],
          answer.rows,
        ),
      );
    }
  }
  return files.length > 0 || answer.rows.length > 0 ? EXIT.attention : EXIT.ok;
}
