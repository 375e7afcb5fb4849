import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  FILE_STATUSES,
  parseRunReport,
  RUN_REPORT_VERSION,
  RunReport,
  RunReportError,
  RunReportProblem,
  RunReportTotals,
} from '../../src';

const FIXTURE_TEXT = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'run-report.json'), 'utf8');
const DATA_SNAPSHOT_ID = '7523944719288312671';

/** A fresh copy of the fixture to mutate. */
const fixture = (): RunReport => JSON.parse(FIXTURE_TEXT) as RunReport;

/** The problems parseRunReport lists, or none when it accepts the report. */
function problemsOf(raw: unknown): RunReportProblem[] {
  try {
    parseRunReport(raw);
    return [];
  } catch (error) {
    if (error instanceof RunReportError) return [...error.problems];
    throw error;
  }
}

const pathsOf = (raw: unknown): string[] => problemsOf(raw).map((p) => p.path);

/** The fixture without its failed file (the last one), which makes it a report of a successful run. */
function succeededRun(): RunReport {
  const report = fixture();
  report.files = report.files.filter((file) => file.status !== 'failed');
  report.totals.files -= 1;
  report.totals.filesFailed = 0;
  report.status = 'succeeded';
  return report;
}

test('the shared run report fixture satisfies the version 2 schema', () => {
  const report = parseRunReport(JSON.parse(FIXTURE_TEXT));
  expect({
    version: report.reportVersion,
    status: report.status,
    fileStatuses: report.files.map((file) => file.status).sort(),
    commits: report.commits.map((commit) => `${commit.role} ${commit.status}`),
  }).toEqual({
    version: RUN_REPORT_VERSION,
    status: 'failed',
    fileStatuses: [...FILE_STATUSES].sort(),
    commits: ['data committed', 'quarantine committed'],
  });
});

test('a snapshot id beyond 2^53 keeps every digit because the report carries it as text', () => {
  const report = parseRunReport(JSON.parse(FIXTURE_TEXT));
  const dataCommit = report.commits.find((commit) => commit.role === 'data');
  expect({
    id: dataCommit?.snapshotId,
    beyondDoubles: BigInt(dataCommit?.snapshotId ?? '0') > 2n ** 53n,
    fileSnapshot: report.files[0]?.snapshotId,
  }).toEqual({ id: DATA_SNAPSHOT_ID, beyondDoubles: true, fileSnapshot: DATA_SNAPSHOT_ID });
});

test('a snapshot id given as a JSON number is refused, naming the field', () => {
  const asNumber = FIXTURE_TEXT.replace(
    `"snapshotId": "${DATA_SNAPSHOT_ID}"`,
    `"snapshotId": ${DATA_SNAPSHOT_ID}`,
  );
  expect(problemsOf(JSON.parse(asNumber))).toEqual([
    {
      path: 'commits[0].snapshotId',
      value: Number(DATA_SNAPSHOT_ID),
      expected: expect.stringMatching(/as a string of decimal digits/) as string,
    },
  ]);
});

test('a snapshot id beyond a 64-bit long is refused', () => {
  const report = fixture();
  report.files[0].snapshotId = '9223372036854775808';
  expect(pathsOf(report)).toEqual(['files[0].snapshotId']);
});

test('a file whose rows read differ from rows written plus quarantined is refused at its rowsRead', () => {
  const report = fixture();
  report.files[0].rowsWritten -= 1;
  report.totals.rowsWritten -= 1;
  expect(problemsOf(report)).toEqual([
    {
      path: 'files[0].rowsRead',
      value: 1250,
      expected: expect.stringMatching(
        /^expected rowsWritten \+ rowsQuarantined \(1246 \+ 3 = 1249\)/,
      ) as string,
    },
  ]);
});

test.each<keyof RunReportTotals>([
  'files',
  'filesSucceeded',
  'filesQuarantined',
  'filesSkipped',
  'filesFailed',
  'rowsRead',
  'rowsWritten',
  'rowsQuarantined',
])('a total of %s that disagrees with the files is refused at that total', (key) => {
  const report = fixture();
  report.totals[key] += 1;
  expect(problemsOf(report)).toEqual([
    {
      path: `totals.${key}`,
      value: report.totals[key],
      expected: expect.stringMatching(/^expected \d+, the /) as string,
    },
  ]);
});

test('a file that read rows and wrote none is refused as succeeded and accepted as quarantined', () => {
  const report = fixture();
  const [read] = report.files;
  Object.assign(read, { rowsWritten: 0, rowsQuarantined: 1250, reason: 'every row failed validation' });
  Object.assign(report.totals, { rowsWritten: 0, rowsQuarantined: 1250 });
  report.quarantineRatio = 1;
  const asSucceeded = problemsOf(report);
  read.status = 'quarantined';
  Object.assign(report.totals, { filesSucceeded: 0, filesQuarantined: 2 });
  expect({ asSucceeded, asQuarantined: problemsOf(report) }).toEqual({
    asSucceeded: [
      {
        path: 'files[0].status',
        value: 'succeeded',
        expected: 'expected "quarantined": all 1250 rows read were quarantined and none written',
      },
    ],
    asQuarantined: [],
  });
});

test('a quarantined, skipped or failed file without a reason is refused at its reason', () => {
  const report = fixture();
  for (const file of report.files.slice(1)) file.reason = null;
  expect(problemsOf(report)).toEqual(
    ['quarantined', 'skipped', 'failed'].map((status, index) => ({
      path: `files[${index + 1}].reason`,
      value: null,
      expected: `expected why the file is ${status}`,
    })),
  );
});

test('a run that says succeeded while a file failed is refused at its status, naming the file', () => {
  const report = fixture();
  report.status = 'succeeded';
  expect(problemsOf(report)).toEqual([
    {
      path: 'status',
      value: 'succeeded',
      expected:
        'expected "failed" because files[3] ' +
        '(s3://glue-etl-dev-input-222222222222-eu-west-1/incoming/Sales-EU/returns.csv) failed',
    },
  ]);
});

test('a run that says succeeded while a commit failed is refused at its status, naming the commit', () => {
  const report = succeededRun();
  const quarantine = report.commits[1];
  Object.assign(quarantine, { status: 'failed', snapshotId: null, error: 'CommitFailedException' });
  expect(problemsOf(report)).toEqual([
    {
      path: 'status',
      value: 'succeeded',
      expected: 'expected "failed" because commits[1] (sales_eu__quarantine) failed',
    },
  ]);
});

test('a run without a failed file or commit is accepted as succeeded and refused as failed', () => {
  const report = succeededRun();
  const failed = { ...report, status: 'failed' };
  expect({ succeeded: pathsOf(report), failed: problemsOf(failed) }).toEqual({
    succeeded: [],
    failed: [
      {
        path: 'status',
        value: 'failed',
        expected: 'expected "succeeded" because no file and no commit failed',
      },
    ],
  });
});

test('a quarantine ratio without rows read is refused, and so is no ratio when rows were read', () => {
  const report = fixture();
  const nothingRead = {
    ...report,
    files: report.files.slice(1),
    totals: {
      ...report.totals,
      files: 3,
      filesSucceeded: 0,
      rowsRead: 0,
      rowsWritten: 0,
      rowsQuarantined: 0,
    },
  };
  expect({
    ratioWithoutRows: pathsOf(nothingRead),
    nullWithoutRows: pathsOf({ ...nothingRead, quarantineRatio: null }),
    nullWithRows: pathsOf({ ...report, quarantineRatio: null }),
  }).toEqual({
    ratioWithoutRows: ['quarantineRatio'],
    nullWithoutRows: [],
    nullWithRows: ['quarantineRatio'],
  });
});

test('a version 1 report is refused for its version and its old keys', () => {
  const report = { ...fixture(), reportVersion: 1, catalog: { table: 'sales_eu', action: 'none' } };
  expect(problemsOf(report)).toEqual([
    {
      path: 'reportVersion',
      value: 1,
      expected: expect.stringMatching(/^expected reportVersion 2/) as string,
    },
    {
      path: 'catalog',
      value: { table: 'sales_eu', action: 'none' },
      expected: expect.stringMatching(
        /^no key "catalog" .*allowed keys here: reportVersion, jobName,/,
      ) as string,
    },
  ]);
});

test('a processedAt with an offset instead of Z is refused', () => {
  const report = { ...fixture(), processedAt: '2026-11-23T10:16:02.418+00:00' };
  expect(problemsOf(report)).toEqual([
    {
      path: 'processedAt',
      value: '2026-11-23T10:16:02.418+00:00',
      expected: 'expected an ISO-8601 UTC timestamp ending in Z',
    },
  ]);
});

test('one error lists every problem with its path, value and expectation, and names the report', () => {
  const report = fixture();
  const broken = {
    ...report,
    quarantineRatioThreshold: 1.5,
    files: [{ ...report.files[0], status: 'done', outputPath: 's3://x/y' }, ...report.files.slice(1)],
  };
  expect(() => parseRunReport(broken, 's3://assets/reports/job/jr_1.json')).toThrow(
    [
      'Invalid run report s3://assets/reports/job/jr_1.json: 3 problem(s)',
      '  - quarantineRatioThreshold: got 1.5; expected the quarantine ratio threshold as a number from 0 to 1',
      '  - files[0].status: got "done"; expected one of "succeeded", "quarantined", "skipped", "failed"',
      '  - files[0].outputPath: got "s3://x/y"; no key "outputPath" (a typo, or a field of another version?); ' +
        'allowed keys here: sourceFile, sourceKey, sourceVersion, status, rowsRead, rowsWritten, rowsQuarantined, ' +
        'seconds, reason, readMode, bytes, columns, typeConflicts, snapshotId, quarantinedFile',
    ].join('\n'),
  );
});

test('JSON that is not an object is refused as a whole', () => {
  expect(problemsOf([])).toEqual([
    { path: '', value: [], expected: 'expected a run report as a JSON object' },
  ]);
});

test('a column that is not an object is refused with the field named, not a generic message', () => {
  const report = fixture();
  const broken = {
    ...report,
    files: [{ ...report.files[0], columns: ['order_id', { name: 7, type: 'int' }] }],
  };
  expect(problemsOf(broken).filter((p) => p.path.startsWith('files[0].columns'))).toEqual([
    { path: 'files[0].columns[0]', value: 'order_id', expected: 'expected a column as a JSON object' },
    { path: 'files[0].columns[1].name', value: 7, expected: 'expected the column name as a string' },
  ]);
});

test('a column whose header cell the file left blank is accepted with an empty header, and a non-string refused', () => {
  const report = fixture();
  const [file] = report.files;
  if (!file) throw new Error('the fixture has no file');
  file.columns = [{ name: 'col_4', type: 'string', header: '' }];
  expect(problemsOf(report)).toEqual([]);
  (file.columns[0] as { header: unknown }).header = 4;
  expect(pathsOf(report)).toEqual(['files[0].columns[0].header']);
});
