import { parseRunReport, RunReport, RunReportFile } from '@glue-platform/shared-constructs/contracts';
import { commandError, isRecord } from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

/** Glue job-run states after which nothing changes. */
const FINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT', 'ERROR', 'EXPIRED']);

/** Rows of the smoke-test CSV; the job must write all of them. */
export const SMOKE_TEST_ROWS = 3;

/** The fields of a Glue job run the smoke test looks at. */
export interface JobRunSummary {
  readonly id: string;
  readonly state: string;
  readonly startedOn: number;
  /** The `--manifest` argument the trigger passed, if any. */
  readonly manifest?: string;
  readonly errorMessage?: string;
}

/**
 * A run report as the smoke test found it: parsed; not readable (yet: missing or denied); or there but not a run
 * report of version 2, which waiting cannot fix.
 */
export type ReportLookup =
  | { readonly uri: string; readonly report: RunReport }
  | { readonly uri: string; readonly unreadable: string }
  | { readonly uri: string; readonly invalid: string };

export type RunVerdict =
  | { readonly status: 'waiting'; readonly detail: string }
  | {
      readonly status: 'reported';
      readonly runId: string;
      readonly reportUri: string;
      readonly report: RunReport;
      readonly file: RunReportFile;
    }
  | { readonly status: 'failed'; readonly detail: string };

/** Unique per attempt and sortable: `smoke-20261102T101500Z-1a2b3c4d`. */
export const smokeTestFileStem = (now: Date, randomHex: string): string =>
  `smoke-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomHex}`;

/** A small CSV with the types the job infers, tagged with the attempt's stem so a reader can trace it. */
export const smokeTestCsv = (stem: string): string =>
  [
    'id,name,amount,active,created_on',
    `1,${stem},12.50,true,2026-01-02`,
    '2,"quoted, with comma",7.25,false,2026-01-03',
    '3,plain,0,true,2026-01-04',
    '',
  ].join('\r\n');

const timeOf = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

/** Job runs from `aws glue get-job-runs` output; entries without an id, state or start time are skipped. */
export function parseJobRuns(output: unknown): JobRunSummary[] {
  const runs = isRecord(output) ? output.JobRuns : undefined;
  if (!Array.isArray(runs)) throw new Error('aws glue get-job-runs returned no "JobRuns" list');
  return runs.flatMap((run: unknown): JobRunSummary[] => {
    if (!isRecord(run) || typeof run.Id !== 'string' || typeof run.JobRunState !== 'string') return [];
    const startedOn = timeOf(run.StartedOn);
    if (Number.isNaN(startedOn)) return [];
    const args = isRecord(run.Arguments) ? run.Arguments : {};
    return [
      {
        id: run.Id,
        state: run.JobRunState,
        startedOn,
        manifest: typeof args['--manifest'] === 'string' ? args['--manifest'] : undefined,
        errorMessage: typeof run.ErrorMessage === 'string' ? run.ErrorMessage : undefined,
      },
    ];
  });
}

/** The report at `uri`, fetched with `fetch` (which throws when the object cannot be read), validated. */
export function lookUpReport(uri: string, fetch: () => string): ReportLookup {
  let text: string;
  try {
    text = fetch();
  } catch (error) {
    return { uri, unreadable: commandError(error) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { uri, invalid: `Run report ${uri} is not JSON: ${(error as Error).message}` };
  }
  try {
    return { uri, report: parseRunReport(json, uri) };
  } catch (error) {
    return { uri, invalid: (error as Error).message };
  }
}

/**
 * Runs that may be the smoke run: started at or after `since`, with a manifest of the smoke-test dataset. A
 * duplicate S3 event may start two.
 */
export const candidateRuns = (
  runs: readonly JobRunSummary[],
  since: number,
  manifestUriPrefix: string,
): JobRunSummary[] =>
  runs.filter(
    (run) =>
      run.startedOn >= since && run.manifest !== undefined && run.manifest.startsWith(manifestUriPrefix),
  );

/**
 * Where the smoke run stands, given the candidate runs and the reports read so far of those that succeeded.
 * A succeeded run whose report lists the uploaded file decides (a duplicate run may list it as skipped, so an
 * entry that succeeded wins); a report that is not a valid run report fails at once, since waiting cannot fix
 * it; every candidate ended and one without success fails; anything else is waiting (the trigger may not have
 * started the run yet).
 */
export function runVerdict(
  candidates: readonly JobRunSummary[],
  reports: ReadonlyMap<string, ReportLookup>,
  sourceUri: string,
): RunVerdict {
  const succeeded = candidates.filter((r) => r.state === 'SUCCEEDED');
  for (const run of succeeded) {
    const lookup = reports.get(run.id);
    if (lookup && 'invalid' in lookup) {
      return {
        status: 'failed',
        detail: `run ${run.id} wrote a report the smoke test cannot accept: ${lookup.invalid}`,
      };
    }
  }
  const listings = succeeded.flatMap((run) => {
    const lookup = reports.get(run.id);
    if (!lookup || !('report' in lookup)) return [];
    const { report, uri } = lookup;
    return report.files
      .filter((f) => f.sourceFile === sourceUri)
      .map((file) => ({ status: 'reported' as const, runId: run.id, reportUri: uri, report, file }));
  });
  const listing = listings.find((l) => l.file.status === 'succeeded') ?? listings[0];
  if (listing) return listing;
  const unfinished = candidates.filter((run) => !FINAL_STATES.has(run.state));
  if (unfinished.length > 0) {
    return { status: 'waiting', detail: unfinished.map((run) => `${run.id} is ${run.state}`).join(', ') };
  }
  const unsuccessful = candidates.filter((run) => run.state !== 'SUCCEEDED');
  if (unsuccessful.length > 0) {
    return {
      status: 'failed',
      detail: unsuccessful
        .map((run) => `${run.id} ended ${run.state}${run.errorMessage ? `: ${run.errorMessage}` : ''}`)
        .join('; '),
    };
  }
  const unreadable = [...reports].flatMap(([id, r]) =>
    'unreadable' in r ? [`report of ${id} (${r.uri}): ${r.unreadable}`] : [],
  );
  return {
    status: 'waiting',
    detail: [`no finished run lists ${sourceUri} yet`, ...unreadable].join('; '),
  };
}

const failures = (report: RunReport): string[] => [
  ...report.files.flatMap((f) =>
    f.status === 'failed' ? [`${f.sourceFile} failed${f.reason ? `: ${f.reason}` : ''}`] : [],
  ),
  ...report.commits.flatMap((c) =>
    c.status === 'failed'
      ? [`the ${c.role} commit to ${c.table} failed${c.error ? `: ${c.error}` : ''}`]
      : [],
  ),
];

/**
 * What is wrong with the run, as its report tells it, for the uploaded file; empty when the run succeeded and
 * committed every row of the file to the data table. The layout of the table's files is Iceberg's business, so
 * the report's snapshot and commit are the evidence, not a listing of the output bucket.
 */
export function reportProblems(report: RunReport, file: RunReportFile): string[] {
  const problems: string[] = [];
  if (report.status !== 'succeeded') {
    const why = failures(report);
    problems.push(
      `expected the run's status "succeeded", the report says "${report.status}"${why.length ? ` (${why.join('; ')})` : ''}`,
    );
  }
  if (file.status !== 'succeeded') {
    problems.push(
      `expected the uploaded file's status "succeeded", the report says "${file.status}"${file.reason ? `: ${file.reason}` : ''}`,
    );
  }
  if (
    file.rowsRead !== SMOKE_TEST_ROWS ||
    file.rowsWritten !== SMOKE_TEST_ROWS ||
    file.rowsQuarantined !== 0
  ) {
    problems.push(
      `expected ${SMOKE_TEST_ROWS} rows read and written and none quarantined, the report says ` +
        `${file.rowsRead} read, ${file.rowsWritten} written, ${file.rowsQuarantined} quarantined`,
    );
  }
  if (file.snapshotId === null) {
    problems.push(
      "expected the snapshot that holds the uploaded file's rows, the report gives its snapshotId as null",
    );
  }
  if (!report.commits.some((c) => c.role === 'data' && c.status === 'committed')) {
    const found = report.commits.map((c) => `${c.role} ${c.status}`);
    problems.push(
      `expected a data commit with status "committed", ` +
        (found.length ? `the report's commits are: ${found.join(', ')}` : 'the report has no commit'),
    );
  }
  return problems;
}

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
}

/**
 * Calls `probe` until its verdict is final or the time is up; the last verdict after a timeout is reported as
 * a failure that says what it was still waiting for.
 */
export async function pollRun(probe: () => RunVerdict, options: PollOptions): Promise<RunVerdict> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const verdict = probe();
    if (verdict.status !== 'waiting') return verdict;
    const remaining = deadline - options.now();
    if (remaining <= 0) {
      return {
        status: 'failed',
        detail: `gave up after ${Math.round(options.timeoutMs / 1000)} s: ${verdict.detail}`,
      };
    }
    options.log(`waiting: ${verdict.detail}`);
    await options.sleep(Math.min(options.intervalMs, remaining));
  }
}
