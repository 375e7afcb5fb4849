import { AwsCli } from '../../scripts/aws-cli';
import { runSmokeTest, SmokeTestDeps } from '../../scripts/run-smoke-test';

const NOW = Date.parse('2026-11-02T10:00:00Z');
const STARTED = '2026-11-02T10:02:00+00:00';
const KEY = 'incoming/smoke_test/smoke-20261102T100000Z-0badcafe.csv';
const OUTPUT_PATH = 's3://output/smoke_test/ingest_date=2026-11-02/source_id=sabc/';

const env: NodeJS.ProcessEnv = {
  STAGE_NAME: 'dev',
  STAGE_ACCOUNT: '222222222222',
  STAGE_REGION: 'eu-west-1',
  STAGE_ROLE_ARN: 'arn:aws:iam::222222222222:role/glue-etl-dev-smoke-test',
  INPUT_BUCKET: 'input',
  OUTPUT_BUCKET: 'output',
  ASSETS_BUCKET: 'assets',
  GLUE_JOB_NAME: 'glue-etl-dev-file-processor',
  UPLOAD_PREFIX: 'incoming/smoke_test/',
  MANIFEST_PREFIX: 'manifests/smoke_test/',
  OUTPUT_PREFIX: 'smoke_test/',
  REPORT_PREFIX: 'reports/glue-etl-dev-file-processor/',
  WAIT_SECONDS: '60',
  POLL_SECONDS: '10',
};

interface World {
  /** Successive states of the run the trigger starts. */
  readonly runStates: readonly string[];
  /** What the report says about the uploaded file. */
  readonly rowsWritten?: number;
  readonly reportMissing?: boolean;
  readonly parquetKeys?: readonly string[];
}

/** A fake CLI for one stage: the upload, the run the trigger starts, its report and its output. */
function fakeAws(world: World, calls: string[][]): AwsCli {
  let polls = 0;
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
      case 's3 cp':
        if (
          world.reportMissing ||
          args[2] !== 's3://assets/reports/glue-etl-dev-file-processor/jr_smoke.json'
        ) {
          throw Object.assign(new Error('Command failed'), { stderr: 'An error occurred (404) NoSuchKey' });
        }
        return JSON.stringify({
          runId: 'jr_smoke',
          files: [
            {
              sourceFile: `s3://input/${KEY}`,
              status: 'succeeded',
              rowsRead: 3,
              rowsWritten: world.rowsWritten ?? 3,
              rowsQuarantined: 3 - (world.rowsWritten ?? 3),
              outputPath: OUTPUT_PATH,
            },
          ],
        });
      case 's3api list-objects-v2':
        return JSON.stringify({ Contents: (world.parquetKeys ?? []).map((Key) => ({ Key })) });
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

const parquet = ['smoke_test/ingest_date=2026-11-02/source_id=sabc/part-0.snappy.parquet'];

test('the smoke test passes when the run wrote every row and the Parquet is where the report says', async () => {
  const lines: string[] = [];
  const world = { runStates: ['RUNNING', 'SUCCEEDED'], parquetKeys: parquet };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(true);
  expect(lines.at(-1)).toBe(
    'Smoke test of stage dev passed: run jr_smoke wrote 3 rows to 1 Parquet file(s) under ' +
      's3://output/smoke_test/ingest_date=2026-11-02/source_id=sabc/ (report reports/glue-etl-dev-file-processor/jr_smoke.json)',
  );
});

test('the CSV is uploaded under the smoke-test prefix with a unique name, in the stage region', async () => {
  const calls: string[][] = [];
  await runSmokeTest(deps({ runStates: ['SUCCEEDED'], parquetKeys: parquet }, calls, []));
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

test('the Parquet is looked for under the partition the report names', async () => {
  const calls: string[][] = [];
  await runSmokeTest(deps({ runStates: ['SUCCEEDED'], parquetKeys: parquet }, calls, []));
  const list = calls.find((args) => args[1] === 'list-objects-v2');
  expect(list?.slice(2, 6)).toEqual([
    '--bucket',
    'output',
    '--prefix',
    'smoke_test/ingest_date=2026-11-02/source_id=sabc/',
  ]);
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
  const world = { runStates: ['SUCCEEDED'], reportMissing: true, parquetKeys: parquet };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toMatch(
    /gave up after 60 s: no finished run lists .* yet; report of jr_smoke: .*NoSuchKey$/,
  );
});

test('a run that quarantined rows of the smoke file fails the smoke test', async () => {
  const lines: string[] = [];
  const world = { runStates: ['SUCCEEDED'], rowsWritten: 2, parquetKeys: parquet };
  await expect(runSmokeTest(deps(world, [], lines))).resolves.toBe(false);
  expect(lines.at(-1)).toBe(
    'Smoke test of stage dev failed: run jr_smoke: expected 3 rows read and written and none quarantined, ' +
      'the report says 3 read, 2 written, 1 quarantined',
  );
});

test('a report without Parquet behind it fails the smoke test', async () => {
  const lines: string[] = [];
  await expect(runSmokeTest(deps({ runStates: ['SUCCEEDED'], parquetKeys: [] }, [], lines))).resolves.toBe(
    false,
  );
  expect(lines.at(-1)).toBe(
    `Smoke test of stage dev failed: run jr_smoke reported ${OUTPUT_PATH} but no Parquet file is there`,
  );
});
