import {
  candidateRuns,
  JobRunSummary,
  outputKeyPrefix,
  parseJobRuns,
  parseObjectKeys,
  parseRunReport,
  pollRun,
  ReportedFile,
  ReportLookup,
  reportedFileProblems,
  RunVerdict,
  runVerdict,
  smokeTestCsv,
  smokeTestFileStem,
} from '../../scripts/smoke-test';

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

const reported = (overrides: Partial<ReportedFile> = {}): ReportedFile => ({
  sourceFile: SOURCE,
  status: 'succeeded',
  rowsRead: 3,
  rowsWritten: 3,
  rowsQuarantined: 0,
  outputPath: 's3://output/smoke_test/ingest_date=2026-11-02/source_id=sabc/',
  ...overrides,
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

test('a run report becomes the outcome of each of its files', () => {
  const files = parseRunReport({
    runId: 'jr_1',
    files: [
      {
        sourceFile: SOURCE,
        status: 'succeeded',
        rowsRead: 3,
        rowsWritten: 2,
        rowsQuarantined: 1,
        reason: null,
      },
    ],
  });
  expect(files).toEqual([
    { sourceFile: SOURCE, status: 'succeeded', rowsRead: 3, rowsWritten: 2, rowsQuarantined: 1 },
  ]);
});

test('JSON that is not a run report is refused', () => {
  expect(() => parseRunReport({ runId: 'jr_1' })).toThrow(/no "files" list/);
});

test('an empty prefix lists no keys', () => {
  expect(parseObjectKeys({ RequestCharged: null, Prefix: 'smoke_test/' })).toEqual([]);
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
  const verdict = runVerdict(
    [run({ state: 'SUCCEEDED' })],
    reportsOf({ jr_1: { files: [reported()] } }),
    SOURCE,
  );
  expect(verdict).toEqual({ status: 'succeeded', runId: 'jr_1', file: reported() });
});

test('a succeeded run of another smoke file is not the verdict', () => {
  const other = reported({ sourceFile: 's3://input/incoming/smoke_test/smoke-0.csv' });
  const verdict = runVerdict([run({ state: 'SUCCEEDED' })], reportsOf({ jr_1: { files: [other] } }), SOURCE);
  expect(verdict).toEqual({ status: 'waiting', detail: `no finished run lists ${SOURCE} yet` });
});

test('an unreadable report is named while waiting', () => {
  const verdict = runVerdict(
    [run({ state: 'SUCCEEDED' })],
    reportsOf({ jr_1: { error: 'NoSuchKey' } }),
    SOURCE,
  );
  expect(verdict).toEqual({
    status: 'waiting',
    detail: `no finished run lists ${SOURCE} yet; report of jr_1: NoSuchKey`,
  });
});

test('a duplicate run that failed does not hide one that succeeded', () => {
  const runs = [run({ id: 'jr_2', state: 'FAILED' }), run({ id: 'jr_3', state: 'SUCCEEDED' })];
  const verdict = runVerdict(runs, reportsOf({ jr_3: { files: [reported()] } }), SOURCE);
  expect(verdict.status).toBe('succeeded');
});

test('a candidate that ended without success fails the smoke test with its state and error', () => {
  const verdict = runVerdict([run({ state: 'TIMEOUT', errorMessage: 'too slow' })], new Map(), SOURCE);
  expect(verdict).toEqual({ status: 'failed', detail: 'jr_1 ended TIMEOUT: too slow' });
});

test('a file with every row written under the smoke-test prefix has no problem', () => {
  expect(reportedFileProblems(reported(), 'output', 'smoke_test/')).toEqual([]);
});

test('quarantined rows and a non-success status are problems', () => {
  const file = reported({ status: 'quarantined', rowsWritten: 0, rowsQuarantined: 3, reason: 'unreadable' });
  expect(reportedFileProblems(file, 'output', 'smoke_test/')).toEqual([
    'the report says quarantined: unreadable',
    'expected 3 rows read and written and none quarantined, the report says 3 read, 0 written, 3 quarantined',
  ]);
});

test('an output path outside the smoke-test prefix is a problem', () => {
  const file = reported({ outputPath: 's3://output/sales/ingest_date=2026-11-02/' });
  expect(reportedFileProblems(file, 'output', 'smoke_test/')).toEqual([
    'the report gives no output path under s3://output/smoke_test/ (got s3://output/sales/ingest_date=2026-11-02/)',
  ]);
});

test('the output key prefix is the reported path inside the output bucket', () => {
  expect(outputKeyPrefix(reported(), 'output', 'smoke_test/')).toBe(
    'smoke_test/ingest_date=2026-11-02/source_id=sabc/',
  );
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
  const done: RunVerdict = { status: 'succeeded', runId: 'jr_1', file: reported() };
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
