import { parseRunReport, RunReport } from '@glue-platform/shared-constructs/contracts';

import {
  candidateRuns,
  JobRunSummary,
  lookUpReport,
  parseJobRuns,
  pollRun,
  ReportLookup,
  reportProblems,
  RunVerdict,
  runVerdict,
  smokeTestCsv,
  smokeTestFileStem,
} from '../../lib/steps/smoke-test/smoke-test';

import { failedCommitReport, smokeRunReport } from './smoke-run-report';

const MANIFESTS = 's3://assets/manifests/smoke_test/';
const SOURCE = 's3://input/incoming/smoke_test/smoke-1.csv';
const UPLOAD = Date.parse('2026-11-02T10:00:00Z');

const run = (overrides: Partial<JobRunSummary>): JobRunSummary => ({
  id: 'jr_1',
  state: 'RUNNING',
  startedOn: UPLOAD + 60_000,
  manifest: `${MANIFESTS}2026-11-02/m1.json`,
  ...overrides,
});

const REPORT_URI = 's3://assets/reports/glue-etl-dev-file-processor/jr_1.json';

/** A report of `runId` as read from S3. */
const found = (report: RunReport, uri = REPORT_URI): ReportLookup => ({ uri, report });

/** The verdict of a run whose report lists the file. */
const reportedIn = (report: RunReport, runId = 'jr_1', uri = REPORT_URI): RunVerdict => ({
  status: 'reported',
  runId,
  reportUri: uri,
  report,
  file: report.files[0],
});

const reportsOf = (entries: Record<string, ReportLookup>) => new Map(Object.entries(entries));

test('the file stem is unique per attempt and safe in an S3 key', () => {
  expect(smokeTestFileStem(new Date('2026-11-02T10:15:00.123Z'), '1a2b3c4d')).toBe(
    'smoke-20261102T101500Z-1a2b3c4d',
  );
});

test('the CSV has a header and three rows, one tagged with the attempt', () => {
  const lines = smokeTestCsv('smoke-x').trimEnd().split('\r\n');
  expect({ header: lines[0], rows: lines.length - 1, tagged: lines[1]?.includes('smoke-x') }).toEqual({
    header: 'id,name,amount,active,created_on',
    rows: 3,
    tagged: true,
  });
});

test('get-job-runs output becomes run summaries with the manifest argument', () => {
  const runs = parseJobRuns({
    JobRuns: [
      {
        Id: 'jr_1',
        JobRunState: 'FAILED',
        StartedOn: '2026-11-02T10:01:00.500000+00:00',
        Arguments: { '--manifest': `${MANIFESTS}a.json` },
        ErrorMessage: 'boom',
      },
      { Id: 'jr_0', JobRunState: 'SUCCEEDED', StartedOn: 'not a date' },
    ],
  });
  expect(runs).toEqual([
    {
      id: 'jr_1',
      state: 'FAILED',
      startedOn: Date.parse('2026-11-02T10:01:00.500Z'),
      manifest: `${MANIFESTS}a.json`,
      errorMessage: 'boom',
    },
  ]);
});

test('output without a JobRuns list is refused', () => {
  expect(() => parseJobRuns({})).toThrow(/no "JobRuns" list/);
});

test('a report that parses under the shared schema is found', () => {
  const report = smokeRunReport(SOURCE);
  expect(lookUpReport(REPORT_URI, () => JSON.stringify(report))).toEqual({ uri: REPORT_URI, report });
});

test('a report the CLI cannot fetch is unreadable, with the CLI error', () => {
  const lookup = lookUpReport(REPORT_URI, () => {
    throw Object.assign(new Error('Command failed'), { stderr: 'An error occurred (404) NoSuchKey\n' });
  });
  expect(lookup).toEqual({ uri: REPORT_URI, unreadable: 'An error occurred (404) NoSuchKey' });
});

test('a report that is not JSON is invalid, naming where it is', () => {
  const lookup = lookUpReport(REPORT_URI, () => '<Error>AccessDenied</Error>');
  expect(lookup).toEqual({
    uri: REPORT_URI,
    invalid: expect.stringMatching(
      /^Run report s3:\/\/assets\/reports\/.*jr_1\.json is not JSON: /,
    ) as string,
  });
});

test('a report that breaks the schema is invalid, with every problem and where it is', () => {
  const report = { ...smokeRunReport(SOURCE), reportVersion: 1 };
  report.files[0] = { ...report.files[0], snapshotId: null, rowsWritten: 2 };
  expect(lookUpReport(REPORT_URI, () => JSON.stringify(report))).toEqual({
    uri: REPORT_URI,
    invalid: [
      `Invalid run report ${REPORT_URI}: 2 problem(s)`,
      '  - reportVersion: got 1; expected reportVersion 2; a reader of version 2 cannot vouch for another',
      '  - files[0].rowsRead: got 3; expected rowsWritten + rowsQuarantined (2 + 0 = 2): ' +
        'every row read is either written or quarantined',
    ].join('\n'),
  });
});

test('the report the smoke tests build is a valid run report', () => {
  expect(() => parseRunReport(smokeRunReport(SOURCE))).not.toThrow();
  expect(() => parseRunReport(failedCommitReport(SOURCE))).not.toThrow();
});

test('only runs of the smoke-test dataset started since the upload are candidates', () => {
  const runs = [
    run({ id: 'mine' }),
    run({ id: 'other-dataset', manifest: 's3://assets/manifests/sales/m.json' }),
    run({ id: 'earlier', startedOn: UPLOAD - 1 }),
    run({ id: 'manual', manifest: undefined }),
  ];
  expect(candidateRuns(runs, UPLOAD, MANIFESTS).map((r) => r.id)).toEqual(['mine']);
});

test('no candidate run yet means waiting', () => {
  expect(runVerdict([], new Map(), SOURCE).status).toBe('waiting');
});

test('a queued or running candidate means waiting', () => {
  expect(runVerdict([run({ state: 'WAITING' })], new Map(), SOURCE)).toEqual({
    status: 'waiting',
    detail: 'jr_1 is WAITING',
  });
});

test('a succeeded run whose report lists the uploaded file is the verdict', () => {
  const report = smokeRunReport(SOURCE, 'jr_1');
  const verdict = runVerdict([run({ state: 'SUCCEEDED' })], reportsOf({ jr_1: found(report) }), SOURCE);
  expect(verdict).toEqual(reportedIn(report));
});

test('a succeeded run of another smoke file is not the verdict', () => {
  const other = smokeRunReport('s3://input/incoming/smoke_test/smoke-0.csv');
  const verdict = runVerdict([run({ state: 'SUCCEEDED' })], reportsOf({ jr_1: found(other) }), SOURCE);
  expect(verdict).toEqual({ status: 'waiting', detail: `no finished run lists ${SOURCE} yet` });
});

test('an unreadable report is named while waiting', () => {
  const verdict = runVerdict(
    [run({ state: 'SUCCEEDED' })],
    reportsOf({ jr_1: { uri: REPORT_URI, unreadable: 'NoSuchKey' } }),
    SOURCE,
  );
  expect(verdict).toEqual({
    status: 'waiting',
    detail: `no finished run lists ${SOURCE} yet; report of jr_1 (${REPORT_URI}): NoSuchKey`,
  });
});

test('an invalid report fails the smoke test at once, since waiting cannot fix it', () => {
  const verdict = runVerdict(
    [run({ state: 'SUCCEEDED' }), run({ id: 'jr_2', state: 'RUNNING' })],
    reportsOf({ jr_1: { uri: REPORT_URI, invalid: 'Invalid run report ...' } }),
    SOURCE,
  );
  expect(verdict).toEqual({
    status: 'failed',
    detail: 'run jr_1 wrote a report the smoke test cannot accept: Invalid run report ...',
  });
});

test('a duplicate run that failed does not hide one that succeeded', () => {
  const runs = [run({ id: 'jr_2', state: 'FAILED' }), run({ id: 'jr_3', state: 'SUCCEEDED' })];
  const verdict = runVerdict(runs, reportsOf({ jr_3: found(smokeRunReport(SOURCE, 'jr_3')) }), SOURCE);
  expect(verdict.status).toBe('reported');
});

test('a duplicate run that skipped the file does not hide the run that wrote it', () => {
  const skipped = smokeRunReport(SOURCE, 'jr_2');
  skipped.files[0] = {
    ...skipped.files[0],
    status: 'skipped',
    rowsRead: 0,
    rowsWritten: 0,
    snapshotId: null,
  };
  const written = smokeRunReport(SOURCE, 'jr_3');
  const runs = [run({ id: 'jr_2', state: 'SUCCEEDED' }), run({ id: 'jr_3', state: 'SUCCEEDED' })];
  const verdict = runVerdict(runs, reportsOf({ jr_2: found(skipped), jr_3: found(written) }), SOURCE);
  expect(verdict).toEqual(reportedIn(written, 'jr_3'));
});

test('a candidate that ended without success fails the smoke test with its state and error', () => {
  const verdict = runVerdict([run({ state: 'TIMEOUT', errorMessage: 'too slow' })], new Map(), SOURCE);
  expect(verdict).toEqual({ status: 'failed', detail: 'jr_1 ended TIMEOUT: too slow' });
});

test('a succeeded run that committed every row of the file has no problem', () => {
  const report = smokeRunReport(SOURCE);
  expect(reportProblems(report, report.files[0])).toEqual([]);
});

test('a failed data commit is a problem of the run, the commit and the snapshot, each saying what it found', () => {
  const report = failedCommitReport(SOURCE);
  expect(reportProblems(report, report.files[0])).toEqual([
    'expected the run\'s status "succeeded", the report says "failed" ' +
      '(the data commit to smoke_test failed: CommitFailedException: base metadata location changed)',
    "expected the snapshot that holds the uploaded file's rows, the report gives its snapshotId as null",
    'expected a data commit with status "committed", the report\'s commits are: data failed, quarantine unchanged',
  ]);
});

test('a run that failed on another file of its manifest is a problem that names that file', () => {
  const report = smokeRunReport(SOURCE);
  const other = {
    ...report.files[0],
    sourceFile: 's3://input/incoming/smoke_test/other.csv',
    status: 'failed' as const,
    reason: 'NoSuchVersion',
  };
  const withOther = { ...report, status: 'failed' as const, files: [...report.files, other] };
  expect(reportProblems(withOther, report.files[0])).toEqual([
    'expected the run\'s status "succeeded", the report says "failed" ' +
      '(s3://input/incoming/smoke_test/other.csv failed: NoSuchVersion)',
  ]);
});

test('a quarantined file is a problem with its reason and its rows', () => {
  const report = smokeRunReport(SOURCE);
  const file = {
    ...report.files[0],
    status: 'quarantined' as const,
    rowsWritten: 0,
    rowsQuarantined: 3,
    reason: 'unreadable',
    snapshotId: null,
  };
  expect(reportProblems(report, file)).toEqual([
    'expected the uploaded file\'s status "succeeded", the report says "quarantined": unreadable',
    'expected 3 rows read and written and none quarantined, the report says 3 read, 0 written, 3 quarantined',
    "expected the snapshot that holds the uploaded file's rows, the report gives its snapshotId as null",
  ]);
});

test('a report without a data commit is a problem', () => {
  const report = { ...smokeRunReport(SOURCE), commits: [] };
  expect(reportProblems(report, report.files[0])).toEqual([
    'expected a data commit with status "committed", the report has no commit',
  ]);
});

/** A clock that sleeping advances, and a probe that answers from a script of verdicts. */
function scriptedPoll(verdicts: readonly RunVerdict[], timeoutMs: number) {
  let clock = 0;
  let calls = 0;
  const probe = (): RunVerdict => {
    const verdict = verdicts[Math.min(calls, verdicts.length - 1)];
    calls += 1;
    if (!verdict) throw new Error('no verdict scripted');
    return verdict;
  };
  const result = pollRun(probe, {
    timeoutMs,
    intervalMs: 1000,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    log: () => undefined,
  });
  return { result, calls: () => calls };
}

test('polling stops at the first final verdict', async () => {
  const waiting: RunVerdict = { status: 'waiting', detail: 'jr_1 is RUNNING' };
  const done = reportedIn(smokeRunReport(SOURCE));
  const poll = scriptedPoll([waiting, waiting, done], 60_000);
  await expect(poll.result).resolves.toEqual(done);
  expect(poll.calls()).toBe(3);
});

test('polling is bounded and says what it was waiting for', async () => {
  const poll = scriptedPoll([{ status: 'waiting', detail: 'jr_1 is WAITING' }], 5000);
  await expect(poll.result).resolves.toEqual({
    status: 'failed',
    detail: 'gave up after 5 s: jr_1 is WAITING',
  });
  expect(poll.calls()).toBe(6);
});
