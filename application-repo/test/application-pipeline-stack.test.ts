import * as path from 'node:path';

import {
  createPlatformApp,
  exportCheckRoleName,
  loadPlatformConfig,
  REPOSITORY_ROOT,
  stageContext,
} from '@glue-platform/shared-constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { ApplicationPipelineStack } from '../lib/application-pipeline-stack';
import { ApplicationStage } from '../lib/application-stage';
import { stageRoleArn } from '../lib/steps/stage-role';

import { configWithStages, defaultConfig, importedNames, makeJobsDirectory, tempDirectory } from './helpers';

interface PipelineAction {
  readonly Name: string;
  readonly RunOrder: number;
  readonly Configuration?: { readonly ProjectName?: { readonly Ref?: string } };
}
interface PipelineStage {
  readonly Name: string;
  readonly Actions: readonly PipelineAction[];
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function synthesizePipeline(config = defaultConfig()) {
  const app = createPlatformApp({ outdir: tempDirectory('app-pipeline-') });
  const stack = new ApplicationPipelineStack(app, 'ApplicationPipeline', {
    config,
    jobsDirectory: makeJobsDirectory(['file_processor', 'table_maintenance']),
  });
  const template = Template.fromStack(stack);
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  const stages = (pipeline?.Properties as { Stages: PipelineStage[] }).Stages;
  const appStages = app.node.findAll().filter((c): c is ApplicationStage => c instanceof ApplicationStage);
  return { config, stack, template, stages, appStages, resources: template.toJSON().Resources as Resources };
}

let synthesized: ReturnType<typeof synthesizePipeline>;
beforeAll(() => {
  synthesized = synthesizePipeline();
});

const stageNamed = (stages: readonly PipelineStage[], name: string): PipelineStage => {
  const stage = stages.find((s) => s.Name === name);
  if (!stage) throw new Error(`no pipeline stage ${name}; have ${stages.map((s) => s.Name).join(', ')}`);
  return stage;
};

/** Action names in run order, with the CloudFormation actions reduced to Prepare/Deploy. */
const actionSequence = (stage: PipelineStage): string[] =>
  [...stage.Actions]
    .sort((a, b) => a.RunOrder - b.RunOrder)
    .map((action) => action.Name.replace(/^.*\.(Prepare|Deploy)$/, '$1'));

/** The environment variables of the CodeBuild project behind an action. */
function projectEnv(resources: Resources, action: PipelineAction | undefined): Record<string, string> {
  const ref = action?.Configuration?.ProjectName?.Ref;
  const project = ref ? resources[ref] : undefined;
  if (!project) throw new Error(`no CodeBuild project for action ${action?.Name}`);
  const vars = (project.Properties.Environment as { EnvironmentVariables: { Name: string; Value: string }[] })
    .EnvironmentVariables;
  return Object.fromEntries(vars.map((v) => [v.Name, v.Value]));
}

/** Resources of every sts:AssumeRole statement in the policies of the role behind an action's project. */
function assumableRoles(resources: Resources, action: PipelineAction | undefined): unknown[] {
  const ref = action?.Configuration?.ProjectName?.Ref;
  const project = ref ? resources[ref] : undefined;
  const roleId = (project?.Properties.ServiceRole as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap(
      (r) =>
        (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    )
    .filter((s) => [s.Action].flat().includes('sts:AssumeRole'))
    .flatMap((s) => [s.Resource].flat());
}

test('dev checks the exports, deploys, then runs the smoke test', () => {
  expect(actionSequence(stageNamed(synthesized.stages, 'dev'))).toEqual([
    'CheckInfrastructureExports',
    'Prepare',
    'Deploy',
    'SmokeTest',
  ]);
});

test('prod checks the exports beside creating its change set, then summarizes it for the approval; no smoke test', () => {
  const prod = stageNamed(synthesized.stages, 'prod');
  const byOrder = [...prod.Actions]
    .sort((a, b) => a.RunOrder - b.RunOrder || a.Name.localeCompare(b.Name))
    .map((a) => `${a.RunOrder}:${a.Name.replace(/^.*\.(Prepare|Deploy)$/, '$1')}`);
  expect(byOrder).toEqual([
    '1:CheckInfrastructureExports',
    '1:Prepare',
    '2:SummarizeChangeSets',
    '3:Approve-prod',
    '4:Deploy',
  ]);
});

test.each(['dev', 'prod'])(
  'the %s export check expects exactly the exports its application stack imports',
  (name) => {
    const action = stageNamed(synthesized.stages, name).Actions.find(
      (a) => a.Name === 'CheckInfrastructureExports',
    );
    const appStage = synthesized.appStages.find((s) => s.stageName === name);
    if (!appStage) throw new Error(`no application stage ${name}`);
    const imported = [...new Set(importedNames(Template.fromStack(appStage.stack).toJSON()))].sort();
    expect(projectEnv(synthesized.resources, action).EXPECTED_EXPORTS?.split(',').sort()).toEqual(imported);
  },
);

test.each(['dev', 'prod'])(
  'the %s export check may assume only the export-check role of its stage',
  (name) => {
    const action = stageNamed(synthesized.stages, name).Actions.find(
      (a) => a.Name === 'CheckInfrastructureExports',
    );
    expect(assumableRoles(synthesized.resources, action)).toEqual([
      stageRoleArn(
        stageContext(synthesized.config, name),
        exportCheckRoleName(stageContext(synthesized.config, name)),
      ),
    ]);
  },
);

test('the smoke test may assume only the dev smoke-test role', () => {
  const action = stageNamed(synthesized.stages, 'dev').Actions.find((a) => a.Name === 'SmokeTest');
  expect(assumableRoles(synthesized.resources, action)).toEqual([
    'arn:aws:iam::222222222222:role/glue-etl-dev-smoke-test',
  ]);
});

test('the application stages deploy to the account and region of their config stage', () => {
  const where = synthesized.appStages.map((s) => [s.stageName, s.stack.stackName, s.account, s.region]);
  expect(where).toEqual([
    ['dev', 'glue-etl-dev-application', '222222222222', 'eu-west-1'],
    ['prod', 'glue-etl-prod-application', '333333333333', 'eu-west-1'],
  ]);
});

test('the pipeline stack has no unacknowledged AwsSolutions finding', () => {
  const report = new AwsSolutionsChecks().validateScope(synthesized.stack);
  expect(
    report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.locations?.[0] ?? ''}`),
  ).toEqual([]);
});

test('every stage that asks for a smoke test gets one after it deploys', () => {
  const { stages } = synthesizePipeline(
    configWithStages([
      { name: 'dev', account: '222222222222', region: 'eu-west-1', smokeTest: true },
      { name: 'staging', account: '222222222222', region: 'eu-central-1', smokeTest: true },
      { name: 'prod', account: '333333333333', region: 'eu-west-1', requireApproval: true },
    ]),
  );
  const smokeTested = stages.filter((s) => s.Actions.some((a) => a.Name === 'SmokeTest')).map((s) => s.Name);
  expect(smokeTested).toEqual(['dev', 'staging']);
});

test('on the three-stage config, each approved stage summarizes its change set before the approval that names the commit', () => {
  const config = loadPlatformConfig({
    contextPath: path.join(REPOSITORY_ROOT, 'scripts/fixtures/three-stages.config.json'),
    env: {},
  });
  const { stages, resources } = synthesizePipeline(config);
  for (const name of ['staging', 'prod']) {
    const stage = stageNamed(stages, name);
    const runOrder = (action: string) =>
      stage.Actions.find((a) => actionSequence({ Name: name, Actions: [a] })[0] === action)?.RunOrder;
    expect(
      ['CheckInfrastructureExports', 'Prepare', 'SummarizeChangeSets', `Approve-${name}`, 'Deploy'].map(
        runOrder,
      ),
    ).toEqual([1, 1, 2, 3, 4]);
    const approval = stage.Actions.find((a) => a.Name === `Approve-${name}`) as unknown as {
      Configuration: Record<string, unknown>;
    };
    expect(String(approval.Configuration.CustomData)).toMatch(
      /at commit #\{Source@[^}]+\.CommitId\}: #\{Source@[^}]+\.CommitMessage\}/,
    );
    expect(JSON.stringify(approval.Configuration.ExternalEntityLink)).toContain(
      `glue-etl-application/#{codepipeline.PipelineExecutionId}/${name}.html`,
    );
  }
  const pipeline = Object.values(resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  expect(pipeline?.Properties.ExecutionMode).toBe('SUPERSEDED');
});
