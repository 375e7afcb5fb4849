import { MAX_JOB_ID_LENGTH, projectNameProblems, stageNameProblems } from '../src';

test('the default stage names are within every AWS limit', () => {
  expect(
    stageNameProblems({ project: 'glue-etl', stage: 'prod', account: '333333333333', region: 'eu-west-1' }),
  ).toEqual([]);
});

test('a 63-character bucket name passes and every longer one is reported', () => {
  const problems = stageNameProblems({
    project: 'abcdefghijklmnop',
    stage: 'abcdefghijkl',
    account: '222222222222',
    region: 'ap-southeast-2',
  });
  // input: 63 characters exactly; output 64, assets 64, access-logs 69.
  expect(problems.map((p) => p.what)).toEqual([
    'output bucket name',
    'assets bucket name',
    'access-log bucket name',
  ]);
});

test('role names are checked against the 64-character IAM limit', () => {
  const problems = stageNameProblems({
    project: 'p'.repeat(40),
    stage: 's'.repeat(20),
    account: '1'.repeat(12),
    region: 'eu-west-1',
  });
  expect(problems.find((p) => p.what === 'Glue job role name')?.expected).toMatch(/1-64 characters, got 70/);
});

test('job names leave room for the longest job id the registry accepts', () => {
  expect(MAX_JOB_ID_LENGTH).toBeGreaterThanOrEqual('file_processor'.length);
  const ok = stageNameProblems({
    project: 'glue-etl',
    stage: 'dev',
    account: '222222222222',
    region: 'eu-west-1',
  });
  expect(ok.find((p) => p.what === 'Glue job name')).toBeUndefined();
});

test('pipeline names fit CodePipeline limits for the longest allowed project', () => {
  expect(projectNameProblems('p'.repeat(16))).toEqual([]);
});
