import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { createPlatformApp } from '@glue-platform/shared-constructs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ExecutionClass, SecurityConfiguration, WorkerType } from 'aws-cdk-lib/aws-glue';
import { Role } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';

import { GlueJobDefinition } from '../lib/job-definition';
import { PlatformGlueJob, PlatformGlueJobProps } from '../lib/platform-glue-job';

import { makeJobsDirectory, tempDirectory } from './helpers';

const definition = (overrides: Partial<GlueJobDefinition> = {}): GlueJobDefinition => ({
  id: 'daily_rollup',
  description: 'Rolls up a day',
  workerType: WorkerType.G_1X,
  maxWorkers: 3,
  timeout: Duration.minutes(15),
  ...overrides,
});

/** One job in a stack of its own, with resources referenced by name as the application stack does. */
function jobStack(
  overrides: Partial<PlatformGlueJobProps> = {},
  jobsDirectory = makeJobsDirectory(['daily_rollup']),
): { stack: Stack; job: () => PlatformGlueJob; outdir: string } {
  const outdir = tempDirectory('glue-job-');
  const stack = new Stack(createPlatformApp({ outdir }), 'Jobs', {
    env: { account: '222222222222', region: 'eu-west-1' },
  });
  const make = () =>
    new PlatformGlueJob(stack, 'Job', {
      definition: definition(),
      jobName: 'glue-etl-dev-daily-rollup',
      jobsDirectory,
      role: Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::222222222222:role/glue-etl-dev-glue-job', {
        mutable: false,
      }),
      securityConfiguration: SecurityConfiguration.fromSecurityConfigurationName(
        stack,
        'Sec',
        'glue-etl-dev-glue',
      ),
      assetsBucket: Bucket.fromBucketName(stack, 'Assets', 'assets-bucket'),
      outputBucket: Bucket.fromBucketName(stack, 'Output', 'output-bucket'),
      glueDatabaseName: 'glue_etl_dev',
      ...overrides,
    });
  return { stack, job: make, outdir };
}

test('a Flex job refuses a worker type that Glue cannot run on Flex', () => {
  const { job } = jobStack({
    definition: definition({ workerType: WorkerType.G_4X }),
    executionClass: ExecutionClass.FLEX,
  });
  expect(job).toThrow(
    /worker type G\.4X cannot run with the FLEX execution class \(Glue allows G\.1X or G\.2X\)/,
  );
});

test('a Flex job may use G.2X workers', () => {
  const { stack, job } = jobStack({
    definition: definition({ workerType: WorkerType.G_2X }),
    executionClass: ExecutionClass.FLEX,
  });
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    WorkerType: 'G.2X',
    ExecutionClass: 'FLEX',
  });
});

test('the registry entry arguments reach the job next to the platform arguments', () => {
  const { stack, job } = jobStack({ definition: definition({ arguments: { '--lookback_days': '3' } }) });
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    DefaultArguments: Match.objectLike({ '--lookback_days': '3', '--output_bucket': 'output-bucket' }),
  });
});

test("a job gets Glue's Iceberg runtime and Iceberg's SQL extensions when its session starts", () => {
  const { stack, job } = jobStack();
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    DefaultArguments: Match.objectLike({
      '--datalake-formats': 'iceberg',
      '--conf': 'spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    }),
  });
});

test('the platform arguments of one job reach it beside the registry entry arguments', () => {
  const { stack, job } = jobStack({
    definition: definition({ arguments: { '--lookback_days': '3' } }),
    platformArguments: { '--datasets': '{}' },
  });
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    DefaultArguments: Match.objectLike({ '--datasets': '{}', '--lookback_days': '3' }),
  });
});

test('a job without platform arguments of its own gets no --datasets', () => {
  const { stack, job } = jobStack();
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    DefaultArguments: Match.objectLike({ '--datasets': Match.absent() }),
  });
});

test('a standard job that turns queuing off keeps its retries', () => {
  const { stack, job } = jobStack({ definition: definition({ jobRunQueuing: false, maxRetries: 2 }) });
  job();
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', {
    JobRunQueuingEnabled: false,
    MaxRetries: 2,
    ExecutionClass: 'STANDARD',
  });
});

test('a Flex job never queues runs, even when the registry asks for queuing', () => {
  const { stack, job } = jobStack({
    definition: definition({ jobRunQueuing: true }),
    executionClass: ExecutionClass.FLEX,
  });
  expect(job().jobRunQueuingEnabled).toBe(false);
  Template.fromStack(stack).hasResourceProperties('AWS::Glue::Job', { JobRunQueuingEnabled: false });
});

test('the module asset leaves out Python byte code and test caches', () => {
  const jobsDirectory = makeJobsDirectory(['daily_rollup']);
  const pkg = path.join(jobsDirectory, 'daily_rollup', 'src', 'daily_rollup');
  mkdirSync(path.join(pkg, '__pycache__'));
  writeFileSync(path.join(pkg, '__pycache__', 'x.cpython-311.pyc'), 'bytes');
  writeFileSync(path.join(pkg, 'transform.py'), 'def run():\n    return 1\n');
  const { stack, job, outdir } = jobStack({}, jobsDirectory);
  job();
  (stack.node.root as App).synth();
  const staged = readdirSync(outdir)
    .map((entry) => path.join(outdir, entry))
    .filter((entry) => existsSync(path.join(entry, 'daily_rollup')));
  expect(staged.map((dir) => readdirSync(path.join(dir, 'daily_rollup')).sort())).toEqual([
    ['__init__.py', 'transform.py'],
  ]);
});

test('a job ships the package of each job it shares code with beside its own package', () => {
  const jobsDirectory = makeJobsDirectory(['daily_rollup', 'file_processor']);
  const { stack, job, outdir } = jobStack(
    { definition: definition({ sharedPackages: ['file_processor'] }) },
    jobsDirectory,
  );
  job();
  (stack.node.root as App).synth();
  const extraPyFiles = (
    Object.values(Template.fromStack(stack).findResources('AWS::Glue::Job'))[0] as {
      Properties: { DefaultArguments: Record<string, string> };
    }
  ).Properties.DefaultArguments['--extra-py-files'];
  const staged = readdirSync(outdir, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && entry.name.startsWith('asset.'),
  );
  const packagesOf = (dir: { name: string }) => readdirSync(path.join(outdir, dir.name)).sort();
  expect({
    zips: extraPyFiles?.split(',').map((uri) => uri.endsWith('.zip')),
    packages: staged.map(packagesOf).sort(),
  }).toEqual({ zips: [true, true], packages: [['daily_rollup'], ['file_processor']] });
});

test('without the stack acknowledgements, cdk-nag flags the imported security configuration', () => {
  const { stack, job } = jobStack();
  job();
  const rules = new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-GL1', 'AwsSolutions-GL3']));
});
