import { RunReport } from '@glue-platform/shared-constructs/contracts';
import { AwsCli } from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

import { runSmokeTest, SmokeTestDeps } from '../../lib/steps/smoke-test/run-smoke-test';

import { failedCommitReport, SMOKE_SNAPSHOT_ID, smokeRunReport } from './smoke-run-report';

const NOW = Date.parse('2026-11-02T10:00:00Z');
const STARTED = '2026-11-02T10:02:00+00:00';
const KEY = 'incoming/smoke_test/smoke-20261102T100000Z-0badcafe.csv';
const SOURCE = `s3://input/${KEY}`;
const REPORT_URI = 's3://assets/reports/glue-etl-dev-file-processor/jr_smoke.json';

const env: NodeJS.ProcessEnv = {
  STAGE_NAME: 'dev',
  STAGE_ACCOUNT: '222222222222',
  STAGE_REGION: 'eu-west-1',
  STAGE_ROLE_ARN: 'arn:aws:iam::222222222222:role/glue-etl-dev-smoke-test',
  INPUT_BUCKET: 'input',
  ASSETS_BUCKET: 'assets',
  GLUE_JOB_NAME: 'glue-etl-dev-file-processor',
  UPLOAD_PREFIX: 'incoming/smoke_test/',
  MANIFEST_PREFIX: 'manifests/smoke_test/',
  REPORT_PREFIX: 'reports/glue-etl-dev-file-processor/',
  WAIT_SECONDS: '60',
  POLL_SECONDS: '10',
};

interface World {
  /** Successive states of the run the trigger starts. */
  readonly runStates: readonly string[];
  /**
   * Successive contents of the run's report object (the last one repeats); `undefined` means it is not there.
   * @default the report of a run that wrote the uploaded file
   */
  readonly reports?: readonly (string | undefined)[];
}

const asText = (report: RunReport): string => JSON.stringify(report);

/** A fake CLI for one stage: the upload, the run the trigger starts and its report. */
function fakeAws(world: World, calls: string[][]): AwsCli {
  let polls = 0;
  let reads = 0;
  return (args) => {
    calls.push([...args]);
    switch (`${args[0]} ${args[1]}`) {
      case 'sts assume-role':
        return JSON.stringify({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T' } });
      case 's3api put-object':
        return JSON.stringify({ ETag: '"abc"' });
      case 'glue get-job-runs': {
        const state = world.runStates[Math.min(polls, world.runStates.length - 1)];
        polls += 1;
        const manifest = 's3://assets/manifests/smoke_test/2026-11-02/m1.json';
        return JSON.stringify({
          JobRuns: [
            { Id: 'jr_smoke', JobRunState: state, StartedOn: STARTED, Arguments: { '--manifest': manifest } },
          ],
        });
      }
      case 's3 cp': {
        const contents = world.reports ?? [asText(smokeRunReport(SOURCE))];
        const report = args[2] === REPORT_URI ? contents[Math.min(reads, contents.length - 1)] : undefined;
        reads += 1;
        if (report === undefined) {
          throw Object.assign(new Error('Command failed'), { stderr: 'An error occurred (404) NoSuchKey' });
        }
        return report;
      }
      default:
        throw new Error(`unexpected command ${args.join(' ')}`);
    }
  };
}

function deps(world: World, calls: string[][], lines: string[]): SmokeTestDeps {
  let clock = NOW;
  return {
    aws: fakeAws(world, calls),
    env,
    log: (line) => lines.push(line),
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    randomHex: () => '0badcafe',
    writeTempFile: (name) => `scratch/${name}`,
  };
}

test('the smoke test passes when the report says the run committed every row of the file', async () => {
  const lines: string[] = [];
  await expect(runSmokeTest(deps({ runStates: ['RUNNING', 'SUCCEEDED'] }, [], lines))).resolves.toBe(true);
  expect(lines.at(-1)).toBe(
    `Smoke test of stage dev passed: run jr_smoke wrote 3 rows of ${SOURCE} to glue_etl_dev.smoke_test in ` +
      `snapshot ${SMOKE_SNAPSHOT_ID} (report ${REPORT_URI})`,
  );
});

test('the CSV is uploaded under the smoke-test prefix with a unique name, in the stage region', async () => {
  const calls: string[][] = [];
  await runSmokeTest(deps({ runStates: ['SUCCEEDED'] }, calls, []));
  expect(calls.find((args) => args[1] === 'put-object')).toEqual([
    's3api',
    'put-object',
    '--bucket',
    'input',
    '--key',
    KEY,
    '--body',
    'scratch/smoke-20261102T100000Z-0badcafe.csv',
    '--region',
    'eu-west-1',
  ]);
});

test('the report is read from the assets bucket under the job, and no data file is listed', async () => {
  const calls: string[][] = [];
  await runSmokeTest(deps({ runStates: ['SUCCEEDED'] }, calls, []));
  expect({
    report: calls.find((args) => args[0] === 's3' && args[1] === 'cp'),
    commands: [...new Set(calls.map((args) => `${args[0]} ${args[1]}`))],
  }).toEqual({
    report: ['s3', 'cp', REPORT_URI, '-', '--region', 'eu-west-1'],
    commands: ['sts assume-role', 's3api put-object', 'glue get-job-runs', 's3 cp'],
  });
});

test('a failed run fails the smoke test with its state', async () => {
  const lines: string[] = [];
  await expect(runSmokeTest(deps({ runStates: ['FAILED'] }, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe('Smoke test of stage dev failed: jr_smoke ended FAILED');
});

test('a run that never finishes fails the smoke test after the bounded wait', async () => {
  const lines: string[] = [];
  const calls: string[][] = [];
  await expect(runSmokeTest(deps({ runStates: ['RUNNING'] }, calls, lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe('Smoke test of stage dev failed: gave up after 60 s: jr_smoke is RUNNING');
  expect(calls.filter((args) => args[1] === 'get-job-runs')).toHaveLength(7);
});

test('a succeeded run without a report fails the smoke test after the wait, naming the missing report', async () => {
  const lines: string[] = [];
  const world = { runStates: ['SUCCEEDED'], reports: [undefined] };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe(
    `Smoke test of stage dev failed: gave up after 60 s: no finished run lists ${SOURCE} yet; ` +
      `report of jr_smoke (${REPORT_URI}): An error occurred (404) NoSuchKey`,
  );
});

test('a report that is not there at first is read again on the next poll', async () => {
  const calls: string[][] = [];
  const world = { runStates: ['SUCCEEDED'], reports: [undefined, asText(smokeRunReport(SOURCE))] };
  await expect(runSmokeTest(deps(world, calls, []))).resolves.toBe(true);
  expect(calls.filter((args) => args[1] === 'cp')).toHaveLength(2);
});

test('a report of a failed commit fails the smoke test, saying what was expected and where the report is', async () => {
  const lines: string[] = [];
  const world = { runStates: ['SUCCEEDED'], reports: [asText(failedCommitReport(SOURCE))] };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe(
    `Smoke test of stage dev failed: run jr_smoke (report ${REPORT_URI}): ` +
      'expected the run\'s status "succeeded", the report says "failed" ' +
      '(the data commit to smoke_test failed: CommitFailedException: base metadata location changed); ' +
      "expected the snapshot that holds the uploaded file's rows, the report gives its snapshotId as null; " +
      'expected a data commit with status "committed", the report\'s commits are: data failed, quarantine unchanged',
  );
});

test('a run that quarantined rows of the smoke file fails the smoke test', async () => {
  const lines: string[] = [];
  const report = smokeRunReport(SOURCE);
  report.files[0] = {
    ...report.files[0],
    rowsWritten: 2,
    rowsQuarantined: 1,
    reason: 'amount: not a decimal',
  };
  report.totals = { ...report.totals, rowsWritten: 2, rowsQuarantined: 1 };
  report.quarantineRatio = 1 / 3;
  const world = { runStates: ['SUCCEEDED'], reports: [asText(report)] };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe(
    `Smoke test of stage dev failed: run jr_smoke (report ${REPORT_URI}): ` +
      'expected 3 rows read and written and none quarantined, the report says 3 read, 2 written, 1 quarantined',
  );
});

test('a report that fails schema validation fails the smoke test at once, listing its problems', async () => {
  const lines: string[] = [];
  const calls: string[][] = [];
  const report = smokeRunReport(SOURCE);
  const world = {
    runStates: ['SUCCEEDED'],
    reports: [
      JSON.stringify({ ...report, totals: { ...report.totals, rowsWritten: 4 }, outputPath: 's3://o/' }),
    ],
  };
  await expect(runSmokeTest(deps(world, calls, lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe(
    [
      `Smoke test of stage dev failed: run jr_smoke wrote a report the smoke test cannot accept: ` +
        `Invalid run report ${REPORT_URI}: 2 problem(s)`,
      `  - outputPath: got "s3://o/"; no key "outputPath" (a typo, or a field of another version?); ` +
        'allowed keys here: reportVersion, jobName, runId, manifestId, dataset, database, table, quarantineTable, ' +
        'status, processedAt, seconds, totals, quarantineRatio, quarantineRatioThreshold, commits, files',
      '  - totals.rowsWritten: got 4; expected 3, the sum of files[].rowsWritten',
    ].join('\n'),
  );
  expect(calls.filter((args) => args[1] === 'get-job-runs')).toHaveLength(1);
});

test('a report that is not JSON fails the smoke test at once, naming where it is', async () => {
  const lines: string[] = [];
  const world = { runStates: ['SUCCEEDED'], reports: ['{"reportVersion": 2,'] };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toContain(
    `failed: run jr_smoke wrote a report the smoke test cannot accept: Run report ${REPORT_URI} is not JSON: `,
  );
});
