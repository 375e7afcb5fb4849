import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import {
  CDK_ASSETS_CLI_VERSION,
  CDK_CLI_VERSION,
  CHANGE_SET_SUMMARY_STEP,
  loadPlatformConfig,
  PlatformConfig,
  PlatformPipelineStack,
  pipelineStepRoleName,
  REPOSITORY_ROOT,
  StageConfig,
  SUMMARY_ENV,
  SUMMARY_LOG_PREFIX,
} from '../../src';

interface ActionJson {
  readonly Name: string;
  readonly RunOrder: number;
  readonly Namespace?: string;
  readonly ActionTypeId: { readonly Provider: string };
  readonly Configuration?: Record<string, unknown>;
}
interface StageJson {
  readonly Name: string;
  readonly Actions: ActionJson[];
  readonly OnFailure?: unknown;
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/**
 * A stage with the given stacks (each holding a queue and a file asset, so the pipeline publishes assets as the
 * real apps do); `dependent` makes the second stack depend on the first.
 */
class TestStage extends Stage {
  constructor(scope: Construct, id: string, stage: StageConfig, stackIds: string[], dependent = false) {
    super(scope, id, { env: { account: stage.account, region: stage.region } });
    const stacks = stackIds.map((stackId) => {
      const stack = new Stack(this, stackId, { stackName: `test-${id}-${stackId.toLowerCase()}` });
      new sqs.Queue(stack, 'Queue', { enforceSSL: true });
      new Asset(stack, 'Script', { path: __filename });
      return stack;
    });
    if (dependent && stacks[1] && stacks[0]) stacks[1].addDependency(stacks[0]);
  }
}

function synthesize(config: PlatformConfig, stackIds = ['Workload'], dependent = false) {
  const app = new App();
  const stack = new PlatformPipelineStack(app, 'Pipeline', {
    config,
    app: 'infrastructure',
    createStage: (scope, id, stage) => new TestStage(scope, id, stage, stackIds, dependent),
  });
  const template = Template.fromStack(stack);
  const assemblyDir = app.synth().directory;
  const resources = template.toJSON().Resources as Resources;
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  const properties = pipeline?.Properties as { Stages: StageJson[]; ExecutionMode?: string };
  return { stack, template, resources, properties, stages: properties.Stages, assemblyDir };
}

const CONFIGS: [string, PlatformConfig][] = [
  [
    'the default config',
    loadPlatformConfig({ contextPath: path.join(REPOSITORY_ROOT, 'platform.config.json'), env: {} }),
  ],
  [
    'the three-stage config',
    loadPlatformConfig({
      contextPath: path.join(REPOSITORY_ROOT, 'scripts/fixtures/three-stages.config.json'),
      env: {},
    }),
  ],
];

const stageNamed = (stages: readonly StageJson[], name: string): StageJson => {
  const stage = stages.find((s) => s.Name === name);
  if (!stage) throw new Error(`no pipeline stage ${name}; have ${stages.map((s) => s.Name).join(', ')}`);
  return stage;
};
const action = (stage: StageJson, name: string): ActionJson => {
  const found = stage.Actions.find((a) => a.Name === name || a.Name.endsWith(`.${name}`));
  if (!found) throw new Error(`no action ${name} in ${stage.Name}`);
  return found;
};
/** Serial actions from source to the last stage: each pipeline stage runs its distinct run orders one after another. */
const serialActions = (stages: readonly StageJson[]): number =>
  stages.reduce((sum, stage) => sum + new Set(stage.Actions.map((a) => a.RunOrder)).size, 0);

function projectOf(resources: Resources, act: ActionJson) {
  const ref = (act.Configuration?.ProjectName as { Ref?: string } | undefined)?.Ref;
  const project = ref ? resources[ref] : undefined;
  if (!project) throw new Error(`no CodeBuild project behind ${act.Name}`);
  return project;
}
function projectRoleName(resources: Resources, act: ActionJson): unknown {
  const roleId = (projectOf(resources, act).Properties.ServiceRole as { 'Fn::GetAtt': [string] })[
    'Fn::GetAtt'
  ][0];
  return resources[roleId]?.Properties.RoleName;
}
function statementsOfProject(resources: Resources, act: ActionJson) {
  const roleId = (projectOf(resources, act).Properties.ServiceRole as { 'Fn::GetAtt': [string] })[
    'Fn::GetAtt'
  ][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => (r.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap(
      (r) =>
        (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    );
}

describe.each(CONFIGS)('the pipeline on %s', (_name, config) => {
  let built: ReturnType<typeof synthesize>;
  beforeAll(() => {
    built = synthesize(config);
  });
  const approvalStages = config.stages.filter((s) => s.requireApproval);

  test('runs in SUPERSEDED execution mode', () => {
    expect(built.properties.ExecutionMode).toBe('SUPERSEDED');
  });

  test('rolls back every deployment stage that fails, and only those', () => {
    const rolledBack = built.stages.filter((s) => s.OnFailure !== undefined);
    expect(rolledBack.map((s) => s.Name)).toEqual(config.stages.map((s) => s.name));
    for (const stage of rolledBack) expect(stage.OnFailure).toEqual({ Result: 'ROLLBACK' });
  });

  test('each stage that asks for an approval creates its change sets, then summarizes them, then waits', () => {
    expect(approvalStages.length).toBeGreaterThan(0);
    for (const stage of approvalStages) {
      const pipelineStage = stageNamed(built.stages, stage.name);
      const order = ['Prepare', 'SummarizeChangeSets', `Approve-${stage.name}`, 'Deploy'].map(
        (name) => action(pipelineStage, name).RunOrder,
      );
      expect(order).toEqual([1, 2, 3, 4]);
      expect(action(pipelineStage, 'Prepare').Configuration?.ActionMode).toBe('CHANGE_SET_REPLACE');
      expect(action(pipelineStage, 'Deploy').Configuration?.ActionMode).toBe('CHANGE_SET_EXECUTE');
    }
  });

  test('the approval names the commit id and message of the source', () => {
    const namespace = built.stages[0]?.Actions[0]?.Namespace;
    expect(namespace).toBeDefined();
    for (const stage of approvalStages) {
      const comment = String(
        action(stageNamed(built.stages, stage.name), `Approve-${stage.name}`).Configuration?.CustomData,
      );
      expect(comment).toContain(`at commit #{${namespace}.CommitId}: #{${namespace}.CommitMessage}`);
      expect(comment).toContain(`${stage.name} (${stage.account}, ${stage.region})`);
      // A manual approval's CustomData holds at most 500 characters; leave room for the resolved commit message.
      expect(comment.length).toBeLessThan(250);
    }
  });

  test("the approval's review link opens the summary the step uploads for this execution", () => {
    for (const stage of approvalStages) {
      const pipelineStage = stageNamed(built.stages, stage.name);
      const link = built.stack.resolve(
        action(pipelineStage, `Approve-${stage.name}`).Configuration?.ExternalEntityLink,
      ) as { 'Fn::Join': [string, unknown[]] };
      const [, parts] = link['Fn::Join'];
      const bucketRef = parts.find((p) => typeof p === 'object') as { Ref: string };
      expect(built.resources[bucketRef.Ref]?.Type).toBe('AWS::S3::Bucket');
      const text = parts.filter((p) => typeof p === 'string').join('');
      const key = `glue-etl-infrastructure/#{codepipeline.PipelineExecutionId}/${stage.name}.html`;
      expect(text).toBe(
        `https://${config.pipeline.region}.console.aws.amazon.com/s3/object/?region=${config.pipeline.region}&prefix=${key}`,
      );
      const summaryEnv = JSON.parse(
        String(action(pipelineStage, 'SummarizeChangeSets').Configuration?.EnvironmentVariables),
      ) as { name: string; value: string }[];
      expect(summaryEnv.find((v) => v.name === SUMMARY_ENV.objectKey)?.value).toBe(key);
      const projectEnv = (
        projectOf(built.resources, action(pipelineStage, 'SummarizeChangeSets')).Properties.Environment as {
          EnvironmentVariables: { Name: string; Value: unknown }[];
        }
      ).EnvironmentVariables;
      expect(projectEnv.find((v) => v.Name === SUMMARY_ENV.bucket)?.Value).toEqual(bucketRef);
    }
  });

  test('the summary reads each change set as the lookup role of the stage account, and writes only summaries', () => {
    for (const stage of approvalStages) {
      const summary = action(stageNamed(built.stages, stage.name), 'SummarizeChangeSets');
      const statements = statementsOfProject(built.resources, summary);
      const assumable = statements
        .filter((s) => [s.Action].flat().includes('sts:AssumeRole'))
        .flatMap((s) => [s.Resource].flat());
      expect(assumable).toEqual([
        `arn:aws:iam::${stage.account}:role/cdk-hnb659fds-lookup-role-${stage.account}-${stage.region}`,
      ]);
      // The stage bootstrap's lookup role trusts this name (ArnEquals with the stage as `*`).
      expect(projectRoleName(built.resources, summary)).toBe(
        pipelineStepRoleName(config.project, 'infrastructure', CHANGE_SET_SUMMARY_STEP, stage.name),
      );
      const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
      expect(writes).toHaveLength(1);
      expect(JSON.stringify(writes[0]?.Resource)).toContain('/glue-etl-infrastructure/*');
      const targets = (
        projectOf(built.resources, summary).Properties.Environment as {
          EnvironmentVariables: { Name: string; Value: string }[];
        }
      ).EnvironmentVariables.find((v) => v.Name === SUMMARY_ENV.targets);
      expect(JSON.parse(String(targets?.Value))).toEqual([
        expect.objectContaining({
          stackName: `test-${stage.name}-workload`,
          changeSetName: action(stageNamed(built.stages, stage.name), 'Prepare').Configuration?.ChangeSetName,
        }),
      ]);
    }
  });

  test('stages without an approval deploy without a summary or an approval', () => {
    for (const stage of config.stages.filter((s) => !s.requireApproval)) {
      const providers = stageNamed(built.stages, stage.name).Actions.map((a) => a.Name);
      expect(providers.some((n) => n.startsWith('Approve') || n === 'SummarizeChangeSets')).toBe(false);
    }
  });

  test('serial actions from source to the last stage: 4 before the stages, 2 per stage, 4 per approved stage', () => {
    const expected = 4 + config.stages.reduce((sum, s) => sum + (s.requireApproval ? 4 : 2), 0);
    expect(serialActions(built.stages)).toBe(expected);
  });

  test('every global npm install names an exact version: the CDK CLI and cdk-assets pinned', () => {
    const texts = [
      JSON.stringify(built.template.toJSON()),
      ...readdirSync(built.assemblyDir)
        .filter((f) => f.startsWith('buildspec-'))
        .map((f) => readFileSync(path.join(built.assemblyDir, f), 'utf8')),
    ];
    const installs = texts.flatMap((t) => [...t.matchAll(/npm install -g ([^\s"\\]+)/g)].map((m) => m[1]));
    expect(new Set(installs)).toEqual(
      new Set([`aws-cdk@${CDK_CLI_VERSION}`, `cdk-assets@${CDK_ASSETS_CLI_VERSION}`]),
    );
    expect(CDK_ASSETS_CLI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('no npm command of any build runs install scripts', () => {
    const projects = Object.values(built.resources).filter((r) => r.Type === 'AWS::CodeBuild::Project');
    expect(projects.length).toBeGreaterThanOrEqual(4);
    for (const project of projects) {
      const vars =
        (project.Properties.Environment as { EnvironmentVariables?: { Name: string; Value: unknown }[] })
          .EnvironmentVariables ?? [];
      expect(vars).toContainEqual({ Name: 'npm_config_ignore_scripts', Type: 'PLAINTEXT', Value: 'true' });
    }
  });

  test('the summary bucket expires summaries and logs its access beside the artifact bucket', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: SUMMARY_LOG_PREFIX },
      LifecycleConfiguration: {
        Rules: [
          {
            ExpirationInDays: 90,
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });
});

describe('stages with more than one stack', () => {
  const config = CONFIGS[0][1];

  test('one summary and one approval cover every independent stack of the stage', () => {
    const { stages, resources } = synthesize(config, ['Data', 'Jobs']);
    const prod = stageNamed(stages, 'prod');
    const sequence = [...prod.Actions]
      .sort((a, b) => a.RunOrder - b.RunOrder)
      .map((a) => `${a.RunOrder}:${a.Name}`);
    expect(sequence).toEqual([
      '1:test-prod-data.Prepare',
      '1:test-prod-jobs.Prepare',
      '2:test-prod-data.SummarizeChangeSets',
      '3:test-prod-data.Approve-prod',
      '4:test-prod-data.Deploy',
      '4:test-prod-jobs.Deploy',
    ]);
    const targets = (
      projectOf(resources, action(prod, 'SummarizeChangeSets')).Properties.Environment as {
        EnvironmentVariables: { Name: string; Value: string }[];
      }
    ).EnvironmentVariables.find((v) => v.Name === SUMMARY_ENV.targets);
    expect((JSON.parse(String(targets?.Value)) as { stackName: string }[]).map((t) => t.stackName)).toEqual([
      'test-prod-data',
      'test-prod-jobs',
    ]);
  });

  test('a stage that needs an approval refuses stacks that depend on each other, naming them', () => {
    expect(() => synthesize(config, ['Data', 'Jobs'], true)).toThrow(
      /Stage prod requires an approval, but its stack test-prod-jobs depends on test-prod-data of the same stage/,
    );
  });
});
