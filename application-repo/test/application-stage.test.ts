import { EXPORT_KEYS, exportName, glueJobName, stageContext } from '@glue-platform/shared-constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { applicationImportNames } from '../lib/contract-imports';

import { defaultConfig, importedNames, makeJobsDirectory, required, synthesizeStages } from './helpers';

const config = defaultConfig();
let templates: ReadonlyMap<string, Template>;
let synthesized: ReturnType<typeof synthesizeStages>;

beforeAll(() => {
  synthesized = synthesizeStages(config, { jobsDirectory: makeJobsDirectory(['file_processor']) });
  templates = synthesized.templates;
});

const stageNames = config.stages.map((stage) => stage.name);
const ctxOf = (stage: string) => stageContext(config, stage);

describe.each(stageNames)('the %s stage', (stage) => {
  test('has exactly one Glue job, named by the naming module', () => {
    required(templates, stage).resourceCountIs('AWS::Glue::Job', 1);
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Name: glueJobName(ctxOf(stage), 'file_processor'),
    });
  });

  test('runs the job on Glue 5.1 with G.1X workers and auto scaling up to the registry maximum', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      GlueVersion: '5.1',
      WorkerType: 'G.1X',
      NumberOfWorkers: 10,
      DefaultArguments: Match.objectLike({ '--enable-auto-scaling': 'true' }),
    });
  });

  test('stops a run after the registry timeout and caps concurrent runs', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Timeout: 120,
      ExecutionProperty: { MaxConcurrentRuns: 5 },
      MaxRetries: 0,
    });
  });

  test('uses the imported security configuration and the imported role', () => {
    const ctx = ctxOf(stage);
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      SecurityConfiguration: { 'Fn::ImportValue': exportName(ctx, 'GlueSecurityConfigurationName') },
      Role: { 'Fn::ImportValue': exportName(ctx, 'GlueJobRoleArn') },
    });
  });

  test('logs continuously and publishes metrics and observability metrics', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-metrics': '',
        '--enable-observability-metrics': 'true',
      }),
    });
  });

  test('writes Spark UI event logs and temp files under the assets bucket', () => {
    const ctx = ctxOf(stage);
    const assets = { 'Fn::ImportValue': exportName(ctx, 'AssetsBucketName') };
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--enable-spark-ui': 'true',
        '--spark-event-logs-path': {
          'Fn::Join': ['', ['s3://', assets, `/spark-ui-logs/${glueJobName(ctx, 'file_processor')}/`]],
        },
        '--TempDir': { 'Fn::Join': ['', ['s3://', assets, '/glue-temp/']] },
      }),
    });
  });

  test('passes the output bucket, assets bucket and database to the script and disables bookmarks', () => {
    const ctx = ctxOf(stage);
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({
        '--output_bucket': { 'Fn::ImportValue': exportName(ctx, 'OutputBucketName') },
        '--assets_bucket': { 'Fn::ImportValue': exportName(ctx, 'AssetsBucketName') },
        '--glue_database': { 'Fn::ImportValue': exportName(ctx, 'GlueDatabaseName') },
        '--job-bookmark-option': 'job-bookmark-disable',
      }),
    });
  });

  test('leaves the manifest argument to the trigger', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: Match.objectLike({ '--manifest': Match.absent() }),
    });
  });

  test('ships the script and the zipped package from the CDK assets bucket of the stage', () => {
    const ctx = ctxOf(stage);
    const bootstrap = `s3://cdk-hnb659fds-assets-${ctx.account}-${ctx.region}/`;
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Command: {
        Name: 'glueetl',
        PythonVersion: '3',
        ScriptLocation: Match.stringLikeRegexp(`^${bootstrap}.+\\.py$`),
      },
      DefaultArguments: Match.objectLike({
        '--extra-py-files': Match.stringLikeRegexp(`^${bootstrap}.+\\.zip$`),
      }),
    });
  });

  test('imports exactly the contract exports the pipeline checks, of its own stage', () => {
    const found = new Set(importedNames(required(templates, stage).toJSON()));
    expect([...found].sort()).toEqual(applicationImportNames(ctxOf(stage)).sort());
  });

  test('imports nothing outside the export contract', () => {
    const ctx = ctxOf(stage);
    const contractNames = EXPORT_KEYS.map((key) => exportName(ctx, key));
    for (const name of importedNames(required(templates, stage).toJSON()))
      expect(contractNames).toContain(name);
  });

  test('has no unacknowledged AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks().validateScope(required(synthesized.stages, stage).stack);
    expect(report.violations).toEqual([]);
  });
});

test('dev runs on the Flex execution class without job-run queuing, as the default config asks', () => {
  required(templates, 'dev').hasResourceProperties('AWS::Glue::Job', {
    ExecutionClass: 'FLEX',
    JobRunQueuingEnabled: false,
  });
});

test('prod runs on the standard execution class with job-run queuing', () => {
  required(templates, 'prod').hasResourceProperties('AWS::Glue::Job', {
    ExecutionClass: 'STANDARD',
    JobRunQueuingEnabled: true,
  });
});

test('each stage stack is named by the naming module and lives in its stage account and region', () => {
  const where = stageNames.map((stage) => {
    const stack = required(synthesized.stages, stage).stack;
    return [stack.stackName, stack.account, stack.region];
  });
  expect(where).toEqual([
    ['glue-etl-dev-application', '222222222222', 'eu-west-1'],
    ['glue-etl-prod-application', '333333333333', 'eu-west-1'],
  ]);
});

test('a stage that retains data protects its application stack from deletion', () => {
  const protection = stageNames.map(
    (stage) => required(synthesized.stages, stage).stack.terminationProtection,
  );
  expect(protection).toEqual([false, true]);
});
