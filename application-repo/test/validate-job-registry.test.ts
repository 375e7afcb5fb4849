import { rmSync } from 'node:fs';
import * as path from 'node:path';

import { Duration } from 'aws-cdk-lib';
import { WorkerType } from 'aws-cdk-lib/aws-glue';

import { GLUE_JOBS_DIRECTORY, GlueJobDefinition } from '../lib/job-definition';
import { JOB_REGISTRY } from '../lib/job-registry';
import { JobRegistryError, jobRegistryProblems, validateJobRegistry } from '../lib/validate-job-registry';

import { makeJobsDirectory } from './helpers';

const job = (overrides: Partial<GlueJobDefinition> = {}): GlueJobDefinition => ({
  id: 'file_processor',
  description: 'Processes files',
  workerType: WorkerType.G_1X,
  maxWorkers: 4,
  timeout: Duration.minutes(30),
  ...overrides,
});

const problemsOf = (
  jobs: readonly GlueJobDefinition[],
  directory = makeJobsDirectory(jobs.map((j) => j.id)),
) => jobRegistryProblems(jobs, directory).map((p) => `${p.path}: ${p.message}`);

test('the shipped registry matches the job folders under glue-jobs', () => {
  expect(jobRegistryProblems(JOB_REGISTRY, GLUE_JOBS_DIRECTORY)).toEqual([]);
});

test('a valid registry is returned unchanged', () => {
  const jobs = [job()];
  expect(validateJobRegistry(jobs, makeJobsDirectory(['file_processor']))).toBe(jobs);
});

test('an id that is not snake_case is refused with what is expected', () => {
  const problems = problemsOf([job(), job({ id: 'File-Processor' })], makeJobsDirectory(['file_processor']));
  expect(problems).toEqual([
    expect.stringMatching(/^jobs\[1\]\.id: got "File-Processor"; expected snake_case/),
  ]);
});

test('an id longer than the name limits allow is refused', () => {
  const long = `a${'_b'.repeat(20)}`;
  const problems = problemsOf([job(), job({ id: long })]);
  expect(problems).toEqual([
    `jobs[1].id: got ${long.length} characters; expected at most 40 so every derived name fits`,
  ]);
});

test('a duplicate id names the entry it repeats', () => {
  const problems = problemsOf([job(), job()]);
  expect(problems).toEqual(['jobs[1].id: duplicate id "file_processor", already used by jobs[0]']);
});

test('a job without a folder is refused with the folder to create', () => {
  const directory = makeJobsDirectory(['file_processor']);
  const problems = problemsOf([job(), job({ id: 'daily_rollup' })], directory);
  expect(problems).toEqual([expect.stringContaining('jobs[1].id: no folder glue-jobs/daily_rollup/')]);
});

test('a job folder without its entrypoint is refused', () => {
  const directory = makeJobsDirectory(['file_processor']);
  rmSync(path.join(directory, 'file_processor', 'glue_entrypoint.py'));
  expect(problemsOf([job()], directory)).toEqual([
    'jobs[0].id: missing glue-jobs/file_processor/glue_entrypoint.py, the script Glue runs',
  ]);
});

test('a job folder without its package is refused', () => {
  const directory = makeJobsDirectory(['file_processor']);
  rmSync(path.join(directory, 'file_processor', 'src'), { recursive: true });
  expect(problemsOf([job()], directory)).toEqual([
    expect.stringContaining('jobs[0].id: missing glue-jobs/file_processor/src/file_processor/__init__.py'),
  ]);
});

test('a registry without the job the trigger starts is refused', () => {
  const problems = problemsOf([job({ id: 'daily_rollup' })]);
  expect(problems).toEqual([expect.stringMatching(/^jobs: no entry "file_processor"; the trigger starts/)]);
});

test('retries with job-run queuing on are refused because Glue forbids them', () => {
  const problems = problemsOf([job({ maxRetries: 2 })]);
  expect(problems).toEqual([expect.stringMatching(/^jobs\[0\]\.maxRetries: got 2 with job-run queuing on/)]);
});

test('retries are accepted when job-run queuing is off', () => {
  expect(problemsOf([job({ maxRetries: 2, jobRunQueuing: false })])).toEqual([]);
});

test('fewer than two workers, a partial-minute timeout and zero concurrency are each reported', () => {
  const problems = problemsOf([job({ maxWorkers: 1, timeout: Duration.seconds(90), maxConcurrentRuns: 0 })]);
  expect(problems).toEqual([
    expect.stringMatching(/^jobs\[0\]\.maxWorkers: got 1; expected a whole number of at least 2/),
    expect.stringMatching(/^jobs\[0\]\.timeout: got 1\.5 minutes; expected whole minutes from 1 to 10080/),
    expect.stringMatching(/^jobs\[0\]\.maxConcurrentRuns: got 0; expected a whole number of at least 1/),
  ]);
});

test('an argument the platform sets is refused', () => {
  const problems = problemsOf([
    job({ arguments: { '--output_bucket': 'elsewhere', '--extra-py-files': 'x' } }),
  ]);
  expect(problems).toEqual([
    'jobs[0].arguments["--output_bucket"]: the platform sets this argument (PLATFORM_OWNED_ARGUMENTS in job-arguments.ts); remove it from the entry',
    'jobs[0].arguments["--extra-py-files"]: the platform sets this argument (PLATFORM_OWNED_ARGUMENTS in job-arguments.ts); remove it from the entry',
  ]);
});

test.each(['--datalake-formats', '--conf', '--datasets', '--snapshot_retention_days'])(
  'the argument %s is refused because the platform sets it',
  (name) => {
    expect(problemsOf([job({ arguments: { [name]: 'x' } })])).toEqual([
      `jobs[0].arguments["${name}"]: the platform sets this argument (PLATFORM_OWNED_ARGUMENTS in job-arguments.ts); remove it from the entry`,
    ]);
  },
);

test('a shared package of another registry job is accepted', () => {
  expect(problemsOf([job(), job({ id: 'table_maintenance', sharedPackages: ['file_processor'] })])).toEqual(
    [],
  );
});

test('a shared package that is not another job of the registry is refused', () => {
  const problems = problemsOf(
    [job({ sharedPackages: ['file_processor', 'common'] })],
    makeJobsDirectory(['file_processor', 'common']),
  );
  expect(problems).toEqual([
    'jobs[0].sharedPackages[0]: got "file_processor"; expected the id of another job of the registry, whose ' +
      'src/<id>/ package ships with this job',
    'jobs[0].sharedPackages[1]: got "common"; expected the id of another job of the registry, whose ' +
      'src/<id>/ package ships with this job',
  ]);
});

test('an argument name without the leading dashes is refused', () => {
  const problems = problemsOf([job({ arguments: { threshold: '3' } })]);
  expect(problems).toEqual([
    expect.stringMatching(/^jobs\[0\]\.arguments\["threshold"\]: expected an argument name/),
  ]);
});

test('the error lists every problem at once', () => {
  const attempt = () =>
    validateJobRegistry([job({ id: 'Bad' }), job({ id: 'Bad', maxWorkers: 0 })], '/nowhere');
  expect(attempt).toThrow(JobRegistryError);
  expect(attempt).toThrow(
    /5 problem\(s\)[\s\S]*jobs\[0\]\.id[\s\S]*jobs\[1\]\.id: duplicate[\s\S]*maxWorkers[\s\S]*no entry "file_processor"/,
  );
});
