import {
  EXPORT_KEYS,
  exportName,
  glueJobName,
  parsePlatformConfig,
  placeholderConfig,
  stageContext,
} from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WorkerType } from 'aws-cdk-lib/aws-glue';
import { AwsSolutionsChecks } from 'cdk-nag';

import { applicationImportNames } from '../lib/contract-imports';
import { DATASET_REGISTRY, datasetsArgument } from '../lib/dataset-registry';
import { ICEBERG_SPARK_CONF } from '../lib/job-arguments';
import { JOB_REGISTRY } from '../lib/job-registry';
import { DatasetRegistryError } from '../lib/validate-dataset-registry';

import { defaultConfig, importedNames, makeJobsDirectory, required, synthesizeStages } from './helpers';

const config = defaultConfig();
const JOB_IDS = ['file_processor', 'table_maintenance'];
let templates: ReadonlyMap<string, Template>;
let synthesized: ReturnType<typeof synthesizeStages>;

beforeAll(() => {
  synthesized = synthesizeStages(config, { jobsDirectory: makeJobsDirectory(JOB_IDS) });
  templates = synthesized.templates;
});

const stageNames = config.stages.map((stage) => stage.name);
const ctxOf = (stage: string) => stageContext(config, stage);

type Resource = { Properties: Record<string, unknown> };
type DefaultArguments = Record<string, unknown>;

/** The Glue jobs of a template keyed by their physical name, with their logical ids. */
function jobsByName(
  template: Template,
): Map<string, { logicalId: string; properties: Record<string, unknown> }> {
  const jobs = template.findResources('AWS::Glue::Job') as Record<string, Resource>;
  return new Map(
    Object.entries(jobs).map(([logicalId, job]) => [
      job.Properties.Name as string,
      { logicalId, properties: job.Properties },
    ]),
  );
}

const argumentsOf = (template: Template, jobName: string): DefaultArguments =>
  required(jobsByName(template), jobName).properties.DefaultArguments as DefaultArguments;

describe.each(stageNames)('the %s stage', (stage) => {
  const fileProcessor = () => glueJobName(ctxOf(stage), 'file_processor');
  const maintenance = () => glueJobName(ctxOf(stage), 'table_maintenance');

  test('has the two registry jobs, named by the naming module', () => {
    expect([...jobsByName(required(templates, stage)).keys()].sort()).toEqual([
      fileProcessor(),
      maintenance(),
    ]);
  });

  test('runs file_processor on Glue 5.1 with G.1X workers and auto scaling up to the registry maximum', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Name: fileProcessor(),
      GlueVersion: '5.1',
      WorkerType: 'G.1X',
      NumberOfWorkers: 10,
      DefaultArguments: Match.objectLike({ '--enable-auto-scaling': 'true' }),
    });
  });

  test('stops a file_processor run after the registry timeout and caps concurrent runs', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Name: fileProcessor(),
      Timeout: 120,
      ExecutionProperty: { MaxConcurrentRuns: 5 },
      MaxRetries: 0,
    });
  });

  test('runs table_maintenance on Glue 5.1 with up to 4 G.1X workers, one run at a time, for at most an hour', () => {
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Name: maintenance(),
      GlueVersion: '5.1',
      WorkerType: 'G.1X',
      NumberOfWorkers: 4,
      Timeout: 60,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      MaxRetries: 0,
      DefaultArguments: Match.objectLike({ '--enable-auto-scaling': 'true' }),
    });
  });

  test.each(JOB_IDS)(
    "gives %s Glue's Iceberg runtime and Iceberg's SQL extensions at session start",
    (id) => {
      expect(argumentsOf(required(templates, stage), glueJobName(ctxOf(stage), id))).toMatchObject({
        '--datalake-formats': 'iceberg',
        '--conf': 'spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
      });
    },
  );

  test('ships the file_processor package with table_maintenance, whose code imports it', () => {
    const template = required(templates, stage);
    const zips = (name: string) => String(argumentsOf(template, name)['--extra-py-files']).split(',');
    const [ownPackage, sharedPackage, ...more] = zips(maintenance());
    expect({ own: ownPackage !== zips(fileProcessor())[0], shared: sharedPackage, more }).toEqual({
      own: true,
      shared: zips(fileProcessor())[0],
      more: [],
    });
  });

  test('gives the dataset registry to file_processor and to no other job', () => {
    const template = required(templates, stage);
    const datasets = [...jobsByName(template)].map(([name, job]) => [
      name,
      (job.properties.DefaultArguments as DefaultArguments)['--datasets'],
    ]);
    expect(Object.fromEntries(datasets)).toEqual({
      [fileProcessor()]: datasetsArgument(DATASET_REGISTRY),
      [maintenance()]: undefined,
    });
  });

  test('passes table_maintenance the snapshot retention of the config and the common arguments', () => {
    const ctx = ctxOf(stage);
    expect(argumentsOf(required(templates, stage), maintenance())).toMatchObject({
      '--snapshot_retention_days': '7',
      '--output_bucket': { 'Fn::ImportValue': exportName(ctx, 'OutputBucketName') },
      '--assets_bucket': { 'Fn::ImportValue': exportName(ctx, 'AssetsBucketName') },
      '--glue_database': { 'Fn::ImportValue': exportName(ctx, 'GlueDatabaseName') },
    });
  });

  test('gives file_processor the imported ledger table, the retention of the config and the file metrics namespace', () => {
    const ctx = ctxOf(stage);
    expect(argumentsOf(required(templates, stage), fileProcessor())).toMatchObject({
      '--ledger_table': { 'Fn::ImportValue': exportName(ctx, 'FileLedgerTableName') },
      '--ledger_retention_days': String(defaultConfig().fileLedger.retentionDays),
      '--file_metrics_namespace': `glue-etl/${stage}/files`,
    });
  });

  test('gives the ledger and metrics arguments to no job but file_processor', () => {
    const maintenanceArguments = argumentsOf(required(templates, stage), maintenance());
    expect(
      ['--ledger_table', '--ledger_retention_days', '--file_metrics_namespace'].map(
        (name) => maintenanceArguments[name],
      ),
    ).toEqual([undefined, undefined, undefined]);
  });

  test('gives the snapshot retention to table_maintenance and to no other job', () => {
    expect(
      argumentsOf(required(templates, stage), fileProcessor())['--snapshot_retention_days'],
    ).toBeUndefined();
  });

  test('starts table_maintenance on the schedule of the config, from the moment the trigger is created', () => {
    const template = required(templates, stage);
    const job = required(jobsByName(template), maintenance());
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Name: `${maintenance()}-schedule`,
      Type: 'SCHEDULED',
      Schedule: 'cron(30 3 * * ? *)',
      StartOnCreation: true,
      Actions: [{ JobName: { Ref: job.logicalId } }],
    });
  });

  test('has one Glue trigger, the maintenance schedule: the upload trigger starts file_processor by name', () => {
    const triggers = Object.values(
      required(templates, stage).findResources('AWS::Glue::Trigger'),
    ) as Resource[];
    expect(triggers.map((t) => t.Properties.Name)).toEqual([`${maintenance()}-schedule`]);
  });

  test('names table_maintenance under the job-name prefix that the stage failure alarm matches', () => {
    // The infrastructure rule matches `jobName` by the prefix glueJobName(ctx, ''); contract.test.ts checks the rule.
    expect(maintenance().startsWith(glueJobName(ctxOf(stage), ''))).toBe(true);
    expect(maintenance()).toBe(`glue-etl-${stage}-table-maintenance`);
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

  test.each(JOB_IDS)('writes the Spark UI event logs and temp files of %s under the assets bucket', (id) => {
    const ctx = ctxOf(stage);
    const assets = { 'Fn::ImportValue': exportName(ctx, 'AssetsBucketName') };
    required(templates, stage).hasResourceProperties('AWS::Glue::Job', {
      Name: glueJobName(ctx, id),
      DefaultArguments: Match.objectLike({
        '--enable-spark-ui': 'true',
        '--spark-event-logs-path': {
          'Fn::Join': ['', ['s3://', assets, `/spark-ui-logs/${glueJobName(ctx, id)}/`]],
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
    const manifests = [...jobsByName(required(templates, stage)).values()].map(
      (job) => (job.properties.DefaultArguments as DefaultArguments)['--manifest'],
    );
    expect(manifests).toEqual([undefined, undefined]);
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

const executionOf = (stage: string) =>
  [...jobsByName(required(templates, stage)).values()].map((job) => [
    job.properties.ExecutionClass,
    job.properties.JobRunQueuingEnabled,
  ]);

test('every dev job runs on the Flex execution class without job-run queuing, as the default config asks', () => {
  expect(executionOf('dev')).toEqual([
    ['FLEX', false],
    ['FLEX', false],
  ]);
});

test('every prod job runs on the standard execution class with job-run queuing', () => {
  expect(executionOf('prod')).toEqual([
    ['STANDARD', true],
    ['STANDARD', true],
  ]);
});

test('the maintenance settings of the config reach the schedule and the retention argument', () => {
  const custom = parsePlatformConfig({
    ...placeholderConfig(),
    tableMaintenance: { snapshotRetentionDays: 30, schedule: 'cron(0 2 ? * SUN *)' },
  });
  const template = required(
    synthesizeStages(custom, { jobsDirectory: makeJobsDirectory(JOB_IDS) }).templates,
    'dev',
  );
  template.hasResourceProperties('AWS::Glue::Trigger', { Schedule: 'cron(0 2 ? * SUN *)' });
  expect(argumentsOf(template, glueJobName(stageContext(custom, 'dev'), 'table_maintenance'))).toMatchObject({
    '--snapshot_retention_days': '30',
  });
});

test('a registry without table_maintenance gets no schedule', () => {
  const jobs = JOB_REGISTRY.filter((job) => job.id === 'file_processor');
  const template = required(
    synthesizeStages(config, { jobsDirectory: makeJobsDirectory(['file_processor']), jobs }).templates,
    'dev',
  );
  template.resourceCountIs('AWS::Glue::Trigger', 0);
});

test('another job the registry adds gets neither the datasets nor the retention', () => {
  const jobs = [
    ...JOB_REGISTRY,
    {
      id: 'daily_rollup',
      description: 'Rolls up a day',
      workerType: WorkerType.G_1X,
      maxWorkers: 2,
      timeout: Duration.minutes(15),
    },
  ];
  const template = required(
    synthesizeStages(config, { jobsDirectory: makeJobsDirectory([...JOB_IDS, 'daily_rollup']), jobs })
      .templates,
    'dev',
  );
  const rollup = argumentsOf(template, glueJobName(ctxOf('dev'), 'daily_rollup'));
  expect([
    rollup['--datasets'],
    rollup['--snapshot_retention_days'],
    rollup['--ledger_table'],
    rollup['--conf'],
  ]).toEqual([undefined, undefined, undefined, ICEBERG_SPARK_CONF]);
});

test('a custom dataset registry reaches file_processor', () => {
  const datasets = [{ dataset: 'clicks', newVersion: 'append' as const }];
  const template = required(
    synthesizeStages(config, { jobsDirectory: makeJobsDirectory(JOB_IDS), datasets }).templates,
    'dev',
  );
  expect(argumentsOf(template, glueJobName(ctxOf('dev'), 'file_processor'))['--datasets']).toBe(
    '{"clicks":{"columns":{},"newVersion":"append","quarantineRatioThreshold":0.05}}',
  );
});

test('an invalid dataset registry stops the stage with every problem listed', () => {
  const datasets = [{ dataset: 'orders' }, { dataset: 'Orders', quarantineRatioThreshold: 5 }];
  const attempt = () => synthesizeStages(config, { jobsDirectory: makeJobsDirectory(JOB_IDS), datasets });
  expect(attempt).toThrow(DatasetRegistryError);
  expect(attempt).toThrow(
    /2 problem\(s\)[\s\S]*datasets\[1\]\.dataset[\s\S]*datasets\[1\]\.quarantineRatioThreshold/,
  );
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
