import { isRecord } from './aws-cli';

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

/** One file of a run report (written by the job to `reports/<job name>/<run id>.json`). */
export interface ReportedFile {
  readonly sourceFile: string;
  readonly status: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsQuarantined: number;
  readonly outputPath?: string;
  readonly reason?: string;
}

/** A run report, or why it could not be read. */
export type ReportLookup = { readonly files: readonly ReportedFile[] } | { readonly error: string };

export type RunVerdict =
  | { readonly status: 'waiting'; readonly detail: string }
  | { readonly status: 'succeeded'; readonly runId: string; readonly file: ReportedFile }
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
const count = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

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

/** The files of a run report; throws when the JSON is not a report. */
export function parseRunReport(report: unknown): ReportedFile[] {
  const files = isRecord(report) ? report.files : undefined;
  if (!Array.isArray(files)) throw new Error('the run report has no "files" list');
  return files.flatMap((file: unknown): ReportedFile[] => {
    if (!isRecord(file) || typeof file.sourceFile !== 'string' || typeof file.status !== 'string') return [];
    return [
      {
        sourceFile: file.sourceFile,
        status: file.status,
        rowsRead: count(file.rowsRead),
        rowsWritten: count(file.rowsWritten),
        rowsQuarantined: count(file.rowsQuarantined),
        outputPath: typeof file.outputPath === 'string' ? file.outputPath : undefined,
        reason: typeof file.reason === 'string' ? file.reason : undefined,
      },
    ];
  });
}

/** Keys of `aws s3api list-objects-v2` output; no `Contents` means an empty prefix. */
export function parseObjectKeys(output: unknown): string[] {
  const contents = isRecord(output) ? output.Contents : undefined;
  if (contents === undefined || contents === null) return [];
  if (!Array.isArray(contents))
    throw new Error('aws s3api list-objects-v2 returned a "Contents" that is not a list');
  return contents.flatMap((entry: unknown) =>
    isRecord(entry) && typeof entry.Key === 'string' ? [entry.Key] : [],
  );
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
 * Success is a succeeded run whose report lists the uploaded file; failure is every candidate ended and at
 * least one without success; anything else is waiting (the trigger may not have started the run yet).
 */
export function runVerdict(
  candidates: readonly JobRunSummary[],
  reports: ReadonlyMap<string, ReportLookup>,
  sourceUri: string,
): RunVerdict {
  for (const run of candidates.filter((r) => r.state === 'SUCCEEDED')) {
    const report = reports.get(run.id);
    const file =
      report && 'files' in report ? report.files.find((f) => f.sourceFile === sourceUri) : undefined;
    if (file) return { status: 'succeeded', runId: run.id, file };
  }
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
  const unreadable = [...reports].flatMap(([id, r]) => ('error' in r ? [`report of ${id}: ${r.error}`] : []));
  return {
    status: 'waiting',
    detail: [`no finished run lists ${sourceUri} yet`, ...unreadable].join('; '),
  };
}

/** What is wrong with the uploaded file's outcome in the report; empty when every row was written. */
export function reportedFileProblems(
  file: ReportedFile,
  outputBucket: string,
  outputPrefix: string,
): string[] {
  const problems: string[] = [];
  if (file.status !== 'succeeded')
    problems.push(`the report says ${file.status}${file.reason ? `: ${file.reason}` : ''}`);
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
  if (outputKeyPrefix(file, outputBucket, outputPrefix) === undefined) {
    problems.push(
      `the report gives no output path under s3://${outputBucket}/${outputPrefix} (got ${file.outputPath})`,
    );
  }
  return problems;
}

/** The key prefix of the file's Parquet output, when the report puts it where the smoke test may look. */
export function outputKeyPrefix(
  file: ReportedFile,
  outputBucket: string,
  outputPrefix: string,
): string | undefined {
  const root = `s3://${outputBucket}/`;
  if (!file.outputPath?.startsWith(root)) return undefined;
  const key = file.outputPath.slice(root.length);
  return key.startsWith(outputPrefix) ? key : undefined;
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
