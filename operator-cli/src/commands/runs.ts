import { parseArgs } from 'node:util';

import { GetJobRunsCommand, type JobRun } from '@aws-sdk/client-glue';
import type { RunReport } from '@glue-platform/shared-constructs/contracts';
import {
  DATASET_PATTERN,
  datasetTableName,
  MANIFEST_JOB_ARGUMENT,
} from '@glue-platform/shared-constructs/src/manifest';
import { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';

import { clientsFor, COMMON_OPTIONS, COMMON_USAGE, parseOrExplain, stageOf } from '../command-line';
import { aws, UsageError } from '../errors';
import { EXIT, type ExitCode } from '../exit-codes';
import type { CliIo } from '../io';
import { printJson, renderTable } from '../output';
import { parseCount } from '../parse-values';
import { ReportCache, reportUriOf } from '../reports';

export const RUNS_USAGE = `Usage: glue-platform runs [--dataset D] [--limit 20] --stage S
The newest runs of file_processor with their state and, once written, their report's files and rows.
  --dataset D        only runs of this dataset (told by the manifest each run reads)
  --limit N          at most this many runs (default 20)
Exit: 0 no listed run failed; 1 a listed run failed, or its report names a failed file or commit.
${COMMON_USAGE}`;

const FAILED_STATES = new Set(['FAILED', 'ERROR', 'TIMEOUT', 'STOPPED']);
/** How many pages of runs a `--dataset` filter may read looking for enough of that dataset's runs. */
const MAX_PAGES = 10;

/** The table a run writes, from its manifest's key `manifests/<table>/<day>/<id>.json`. */
const tableOfRun = (run: JobRun): string | undefined => {
  const manifest = run.Arguments?.[MANIFEST_JOB_ARGUMENT];
  const match = manifest ? new RegExp(`/${S3_PREFIXES.manifests}([^/]+)/`).exec(manifest) : null;
  return match?.[1];
};

const present = (run: JobRun, report: RunReport | undefined, reportUri: string) => ({
  jobRunId: run.Id ?? '',
  state: run.JobRunState ?? 'UNKNOWN',
  startedOn: run.StartedOn?.toISOString() ?? null,
  seconds: run.ExecutionTime ?? null,
  table: tableOfRun(run) ?? null,
  manifest: run.Arguments?.[MANIFEST_JOB_ARGUMENT] ?? null,
  errorMessage: run.ErrorMessage ?? null,
  report: report
    ? {
        uri: reportUri,
        status: report.status,
        dataset: report.dataset,
        files: report.totals.files,
        filesQuarantined: report.totals.filesQuarantined,
        filesFailed: report.totals.filesFailed,
        rowsWritten: report.totals.rowsWritten,
        rowsQuarantined: report.totals.rowsQuarantined,
      }
    : null,
});

export async function runsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseOrExplain(RUNS_USAGE, () =>
    parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, dataset: { type: 'string' }, limit: { type: 'string', default: '20' } },
    }),
  );
  if (values.help) {
    io.stdout(`${RUNS_USAGE}\n`);
    return EXIT.ok;
  }
  if (values.dataset !== undefined && !DATASET_PATTERN.test(values.dataset)) {
    throw new UsageError(`--dataset: got "${values.dataset}"; expected a dataset folder name`);
  }
  const limit = parseCount(values.limit, '--limit');
  const table = values.dataset ? datasetTableName(values.dataset) : undefined;
  const stage = stageOf(values, io);
  const clients = await clientsFor(stage, values, io);

  const runs: JobRun[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await aws(`listing the runs of the Glue job ${stage.jobName}`, () =>
      clients.glue.send(new GetJobRunsCommand({ JobName: stage.jobName, NextToken: token, MaxResults: 50 })),
    );
    runs.push(...(page.JobRuns ?? []).filter((run) => !table || tableOfRun(run) === table));
    token = page.NextToken;
    pages += 1;
  } while (token && runs.length < limit && pages < MAX_PAGES);
  const newest = runs
    .sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0))
    .slice(0, limit);

  const reports = new ReportCache(clients);
  const rows = await Promise.all(
    newest.map(async (run) => {
      const uri = reportUriOf(stage, run.Id ?? '');
      return present(run, run.Id ? await reports.get(uri) : undefined, uri);
    }),
  );
  if (values.json) {
    printJson(io, { jobName: stage.jobName, runs: rows });
  } else if (rows.length === 0) {
    io.stdout(`No runs of ${stage.jobName}${values.dataset ? ` for dataset ${values.dataset}` : ''}.\n`);
  } else {
    io.stdout(
      renderTable(
        [
          { header: 'RUN', value: (r) => r.jobRunId },
          { header: 'STATE', value: (r) => r.state },
          { header: 'STARTED', value: (r) => r.startedOn },
          { header: 'TABLE', value: (r) => r.table },
          { header: 'FILES', value: (r) => r.report?.files },
          { header: 'WRITTEN', value: (r) => r.report?.rowsWritten },
          { header: 'QUARANTINED', value: (r) => r.report?.rowsQuarantined },
          { header: 'REPORT', value: (r) => (r.report ? r.report.status : 'not written') },
          { header: 'ERROR', value: (r) => r.errorMessage },
        ],
        rows,
      ),
    );
  }
  const failed = rows.some((r) => FAILED_STATES.has(r.state) || r.report?.status === 'failed');
  return failed ? EXIT.attention : EXIT.ok;
}
