import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  createPlatformApp,
  datasetTableName,
  manifestKey,
  parsePlatformConfig,
  pipelineStepRoleName,
  PlatformConfig,
  SMOKE_TEST_DATASET,
  stageContext,
} from '@glue-platform/shared-constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';

import { ApplicationPipelineStack } from '../lib/application-pipeline-stack';
import { applicationImportNames } from '../lib/contract-imports';
import { ExportCheckStep } from '../lib/steps/export-check/export-check-step';
import { SmokeTestStep } from '../lib/steps/smoke-test/smoke-test-step';

import { defaultConfig, makeJobsDirectory, required, tempDirectory } from './helpers';
import { smokeRunReport } from './steps/smoke-run-report';

const config = defaultConfig();
const dev = required(new Map(config.stages.map((s) => [s.name, s])), 'dev');
const ctx = stageContext(config, 'dev');

/**
 * A stand-in for the AWS CLI on PATH: answers each `<service> <operation>` from a JSON file and logs every
 * call with the access key it ran as. `__UPLOADED__` in an answer becomes the URI of the last put-object.
 */
function fakeAwsCli(responses: Record<string, unknown>): {
  bin: string;
  calls: () => { args: string[]; key?: string }[];
} {
  const dir = tempDirectory('fake-aws-');
  const responsesFile = path.join(dir, 'responses.json');
  const log = path.join(dir, 'calls.jsonl');
  writeFileSync(responsesFile, JSON.stringify(responses));
  writeFileSync(log, '');
  const script = [
    '#!/usr/bin/env node',
    "const fs = require('fs');",
    'const args = process.argv.slice(2);',
    `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, key: process.env.AWS_ACCESS_KEY_ID }) + '\\n');`,
    `const responses = JSON.parse(fs.readFileSync(${JSON.stringify(responsesFile)}, 'utf8'));`,
    "const answer = responses[args[0] + ' ' + args[1]];",
    "if (answer === undefined) { process.stderr.write('fake aws: no answer for ' + args.join(' ')); process.exit(254); }",
    `const puts = fs.readFileSync(${JSON.stringify(log)}, 'utf8').split('\\n').filter(Boolean).map(JSON.parse)`,
    "  .filter((c) => c.args[1] === 'put-object');",
    'const put = puts.length ? puts[puts.length - 1].args : [];',
    "const uploaded = 's3://' + put[put.indexOf('--bucket') + 1] + '/' + put[put.indexOf('--key') + 1];",
    "process.stdout.write(JSON.stringify(answer).split('__UPLOADED__').join(uploaded));",
  ].join('\n');
  writeFileSync(path.join(dir, 'aws'), script);
  chmodSync(path.join(dir, 'aws'), 0o755);
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { args: string[]; key?: string });
  return { bin: dir, calls };
}

/** Runs the step's commands in a fresh directory the way CodeBuild does (one shell, stop at the first failure). */
function runLikeCodeBuild(step: CodeBuildStep, fakeBin: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync('sh', ['-ec', step.commands.join('\n')], {
    cwd: tempDirectory('codebuild-'),
    env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME, ...step.env, ...extraEnv },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const assumed = { Credentials: { AccessKeyId: 'AKIDSTAGE', SecretAccessKey: 's', SessionToken: 't' } };

test('the export check step passes the stage its contract imports and the stack to deploy first', () => {
  const step = new ExportCheckStep('Check', { config, stage: dev });
  expect(step.env).toEqual({
    STAGE_NAME: 'dev',
    STAGE_ACCOUNT: '222222222222',
    STAGE_REGION: 'eu-west-1',
    STAGE_ROLE_ARN: 'arn:aws:iam::222222222222:role/glue-etl-dev-export-check',
    EXPECTED_EXPORTS: applicationImportNames(ctx).join(','),
    INFRASTRUCTURE_STACK: 'glue-etl-dev-infrastructure',
  });
});

test('the bundled export check, run as CodeBuild runs it, fails naming the missing export', () => {
  const [present, ...absent] = applicationImportNames(ctx);
  const aws = fakeAwsCli({
    'sts assume-role': assumed,
    'cloudformation list-exports': { Exports: [{ Name: present, Value: 'x' }] },
  });
  const { status, output } = runLikeCodeBuild(new ExportCheckStep('Check', { config, stage: dev }), aws.bin);
  expect(status).toBe(1);
  for (const name of absent) expect(output).toContain(`  - ${name}\n`);
  expect(output).toContain('Deploy the infrastructure stack glue-etl-dev-infrastructure');
});

test('the bundled export check passes, as the assumed role, when every export exists', () => {
  const aws = fakeAwsCli({
    'sts assume-role': assumed,
    'cloudformation list-exports': {
      Exports: applicationImportNames(ctx).map((Name) => ({ Name, Value: 'x' })),
    },
  });
  const { status } = runLikeCodeBuild(new ExportCheckStep('Check', { config, stage: dev }), aws.bin);
  expect({ status, listedAs: aws.calls().at(-1)?.key }).toEqual({ status: 0, listedAs: 'AKIDSTAGE' });
});

test('the smoke test step points at the stage buckets, job and prefixes from the naming module', () => {
  const step = new SmokeTestStep('Smoke', { config, stage: dev });
  expect(step.env).toEqual({
    STAGE_NAME: 'dev',
    STAGE_ACCOUNT: '222222222222',
    STAGE_REGION: 'eu-west-1',
    STAGE_ROLE_ARN: 'arn:aws:iam::222222222222:role/glue-etl-dev-smoke-test',
    INPUT_BUCKET: 'glue-etl-dev-input-222222222222-eu-west-1',
    ASSETS_BUCKET: 'glue-etl-dev-assets-222222222222-eu-west-1',
    GLUE_JOB_NAME: 'glue-etl-dev-file-processor',
    UPLOAD_PREFIX: 'incoming/smoke_test/',
    MANIFEST_PREFIX: 'manifests/smoke_test/',
    REPORT_PREFIX: 'reports/glue-etl-dev-file-processor/',
    WAIT_SECONDS: '2400',
  });
});

test('the smoke test step gives CodeBuild 20 minutes beyond the wait it asks for', () => {
  const step = new SmokeTestStep('Smoke', { config, stage: dev, waitSeconds: 3600 });
  expect({ wait: step.env.WAIT_SECONDS, timeout: step.timeout?.toMinutes() }).toEqual({
    wait: '3600',
    timeout: 80,
  });
});

test('a smoke test step with a wait that is not a positive whole number is refused', () => {
  expect(() => new SmokeTestStep('Smoke', { config, stage: dev, waitSeconds: 0 })).toThrow(
    /waitSeconds is 0; expected a positive whole number/,
  );
});

test('the manifests the trigger writes for the smoke-test dataset fall under the prefix the smoke test watches', () => {
  const step = new SmokeTestStep('Smoke', { config, stage: dev });
  const key = manifestKey(datasetTableName(SMOKE_TEST_DATASET), '2026-11-02T10:00:00Z', 'm1');
  expect(key.startsWith(required(new Map(Object.entries(step.env)), 'MANIFEST_PREFIX'))).toBe(true);
});

const smokeRun = (state: string, extra: Record<string, unknown> = {}) => ({
  JobRuns: [
    {
      Id: 'jr_1',
      JobRunState: state,
      StartedOn: new Date().toISOString(),
      Arguments: {
        '--manifest': 's3://glue-etl-dev-assets-222222222222-eu-west-1/manifests/smoke_test/m.json',
      },
      ...extra,
    },
  ],
});

/** A run report (version 2) of one run that committed the uploaded file; the fake CLI puts in its key. */
const smokeReport = smokeRunReport('__UPLOADED__', 'jr_1');

test('the bundled smoke test, run as CodeBuild runs it, passes against a stage that processes the file', () => {
  const aws = fakeAwsCli({
    'sts assume-role': assumed,
    's3api put-object': { ETag: '"e"' },
    'glue get-job-runs': smokeRun('SUCCEEDED'),
    's3 cp': smokeReport,
  });
  const { status, output } = runLikeCodeBuild(new SmokeTestStep('Smoke', { config, stage: dev }), aws.bin);
  expect({
    status,
    passed: output.includes('Smoke test of stage dev passed: run jr_1 wrote 3 rows'),
  }).toEqual({
    status: 0,
    passed: true,
  });
  expect(aws.calls().find((c) => c.args[1] === 'cp')?.args[2]).toBe(
    's3://glue-etl-dev-assets-222222222222-eu-west-1/reports/glue-etl-dev-file-processor/jr_1.json',
  );
});

test('the bundled smoke test fails the step when the run fails', () => {
  const aws = fakeAwsCli({
    'sts assume-role': assumed,
    's3api put-object': { ETag: '"e"' },
    'glue get-job-runs': smokeRun('FAILED', { ErrorMessage: 'AnalysisException' }),
  });
  const { status, output } = runLikeCodeBuild(new SmokeTestStep('Smoke', { config, stage: dev }), aws.bin);
  expect({ status, reason: /jr_1 ended FAILED: AnalysisException/.test(output) }).toEqual({
    status: 1,
    reason: true,
  });
});

test('a smoke test step for a stage without smoke tests is refused, naming the stage and the flag', () => {
  const prod = required(new Map(config.stages.map((s) => [s.name, s])), 'prod');
  expect(() => new SmokeTestStep('Smoke', { config, stage: prod })).toThrow(
    /stage prod has smokeTest: false, so it has no smoke-test role to assume/,
  );
});

describe('the CodeBuild roles of the steps in the synthesized pipeline', () => {
  const threeStages = parsePlatformConfig(
    JSON.parse(
      readFileSync(
        path.join(__dirname, '..', '..', 'scripts', 'fixtures', 'three-stages.config.json'),
        'utf8',
      ),
    ),
  );
  const synthesize = (input: PlatformConfig) => {
    const app = createPlatformApp({ outdir: tempDirectory('steps-pipeline-') });
    const stack = new ApplicationPipelineStack(app, 'Pipeline', {
      config: input,
      jobsDirectory: makeJobsDirectory(['file_processor', 'table_maintenance']),
    });
    const resources = Template.fromStack(stack).toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const [pipeline] = Object.values(resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
    const stages = (pipeline?.Properties as { Stages: PipelineStageJson[] }).Stages;
    /** The RoleName of the role of the CodeBuild project behind `action` of pipeline stage `stage`. */
    const roleNameOf = (stage: string, action: string): unknown => {
      const found = stages.find((s) => s.Name === stage)?.Actions.find((a) => a.Name === action);
      const project = resources[found?.Configuration?.ProjectName?.Ref ?? ''];
      const roleRef = (project?.Properties.ServiceRole as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] ?? '';
      return resources[roleRef]?.Properties.RoleName;
    };
    const actionsOf = (stage: string) =>
      stages.find((s) => s.Name === stage)?.Actions.map((a) => a.Name) ?? [];
    const roleNames = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .map((r) => r.Properties.RoleName);
    return { roleNameOf, actionsOf, roleNames };
  };

  test.each([
    ['default', config],
    ['three-stage', threeStages],
  ])('on the %s config each step role has its fixed name, the name the stage role trusts', (_n, input) => {
    const { roleNameOf, actionsOf, roleNames } = synthesize(input);
    for (const stage of input.stages) {
      expect(roleNameOf(stage.name, 'CheckInfrastructureExports')).toBe(
        pipelineStepRoleName('glue-etl', 'application', 'export-check', stage.name),
      );
      if (stage.smokeTest) {
        expect(roleNameOf(stage.name, 'SmokeTest')).toBe(
          pipelineStepRoleName('glue-etl', 'application', 'smoke-test', stage.name),
        );
      } else {
        expect(actionsOf(stage.name)).not.toContain('SmokeTest');
      }
    }
    expect(roleNames).toEqual(
      expect.arrayContaining(['glue-etl-application-pipeline-role', 'glue-etl-application-asset-publishing']),
    );
  });
});

interface PipelineStageJson {
  readonly Name: string;
  readonly Actions: readonly { Name: string; Configuration?: { ProjectName?: { Ref?: string } } }[];
}
