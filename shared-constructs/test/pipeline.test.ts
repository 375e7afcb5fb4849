import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ShellStep } from 'aws-cdk-lib/pipelines';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';

import {
  CDK_CLI_VERSION,
  parsePlatformConfig,
  PlatformConfig,
  PlatformConfigInput,
  PlatformPipelineStack,
  PlatformPipelineStackProps,
  StageConfig,
  placeholderConfig,
} from '../src';

const BASE: PlatformConfigInput = placeholderConfig([
  { name: 'dev', account: '222222222222', region: 'eu-west-1' },
  { name: 'staging', account: '222222222222', region: 'eu-central-1', requireApproval: true },
  { name: 'prod', account: '333333333333', region: 'eu-west-1', requireApproval: true, retainData: true },
]);

/** A stage with two different file assets, so asset publishing has more than one asset to do. */
class WorkloadStage extends Stage {
  constructor(scope: Construct, id: string, stage: StageConfig) {
    super(scope, id, { env: { account: stage.account, region: stage.region } });
    const stack = new Stack(this, 'Workload', { stackName: `test-${id}-workload` });
    const script = new Asset(stack, 'Script', { path: __filename });
    const folder = new Asset(stack, 'Folder', { path: path.join(__dirname, '..', 'src', 'pipeline') });
    new ssm.StringParameter(stack, 'AssetKeys', {
      stringValue: `${script.s3ObjectKey},${folder.s3ObjectKey}`,
    });
  }
}

interface Built {
  readonly stack: PlatformPipelineStack;
  readonly template: Template;
}

function build(
  overrides: Partial<PlatformPipelineStackProps> = {},
  config: PlatformConfig = parsePlatformConfig(BASE),
): Built {
  const app = new App();
  const stack = new PlatformPipelineStack(app, 'Pipeline', {
    config,
    app: 'infrastructure',
    createStage: (scope, id, stage) => new WorkloadStage(scope, id, stage),
    ...overrides,
  });
  return { stack, template: Template.fromStack(stack) };
}

interface ActionJson {
  readonly Name: string;
  readonly RunOrder: number;
  readonly ActionTypeId: { readonly Provider: string };
  readonly RoleArn?: unknown;
  readonly Configuration?: Record<string, unknown>;
}
interface StageJson {
  readonly Name: string;
  readonly Actions: ActionJson[];
}

const pipelineStages = (template: Template): StageJson[] => {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  expect(pipelines).toHaveLength(1);
  return (pipelines[0].Properties as { Stages: StageJson[] }).Stages;
};
const stageNamed = (template: Template, name: string): StageJson => {
  const stage = pipelineStages(template).find((s) => s.Name === name);
  if (!stage) throw new Error(`no pipeline stage ${name}`);
  return stage;
};
const buildSpecOf = (template: Template, descriptionPart: string): string => {
  const projects = Object.values(template.findResources('AWS::CodeBuild::Project')).filter((p) =>
    String((p.Properties as { Description?: string }).Description ?? '').includes(descriptionPart),
  );
  expect(projects).toHaveLength(1);
  return String((projects[0].Properties as { Source: { BuildSpec: string } }).Source.BuildSpec);
};

describe('the pipeline on a three-stage config', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  test('the stack lives in the pipeline account under the pipeline stack name', () => {
    expect(built.stack.account).toBe('111111111111');
    expect(built.stack.region).toBe('eu-west-1');
    expect(built.stack.stackName).toBe('glue-etl-infrastructure-pipeline');
  });

  test('the pipeline is a V2 pipeline named after project and app', () => {
    built.template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      Name: 'glue-etl-infrastructure',
      PipelineType: 'V2',
    });
  });

  test('the pipeline has an UpdatePipeline stage with a SelfMutate action', () => {
    const actions = stageNamed(built.template, 'UpdatePipeline').Actions.map((a) => a.Name);
    expect(actions).toEqual(['SelfMutate']);
  });

  test('self-mutation installs the pinned CDK CLI, which equals the installed one', () => {
    const installed = (
      JSON.parse(readFileSync(require.resolve('aws-cdk/package.json'), 'utf8')) as { version: string }
    ).version;
    expect(CDK_CLI_VERSION).toBe(installed);
    expect(buildSpecOf(built.template, 'SelfMutate')).toContain(`npm install -g aws-cdk@${CDK_CLI_VERSION}`);
  });

  test('the source is the configured repository and branch through the CodeConnections connection', () => {
    const source = stageNamed(built.template, 'Source').Actions[0];
    expect(source.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(source.Configuration).toMatchObject({
      ConnectionArn: BASE.source.connectionArn,
      FullRepositoryId: 'example-org/glue-gitops-platform',
      BranchName: 'main',
    });
  });

  test('the synth step installs, runs the app checks and synthesizes only the app workspace', () => {
    const spec = JSON.parse(buildSpecOf(built.template, 'Synth')) as {
      phases: { build: { commands: string[] }; install: { 'runtime-versions': Record<string, string> } };
      artifacts: { 'base-directory': string };
    };
    expect(spec.phases.build.commands).toEqual([
      'npm ci --ignore-scripts',
      'npm run ci:infrastructure',
      'cd infrastructure-repo && npx cdk synth',
    ]);
    expect(spec.artifacts['base-directory']).toBe('infrastructure-repo/cdk.out');
    expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: '22' });
  });

  test('the stages follow the config order after the asset stage', () => {
    const names = pipelineStages(built.template).map((s) => s.Name);
    expect(names).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'dev', 'staging', 'prod']);
  });

  test('assets are published by one action even with several assets', () => {
    expect(stageNamed(built.template, 'Assets').Actions).toHaveLength(1);
  });

  test('each stage deploys with the deploy role of its own account and region', () => {
    for (const stage of BASE.stages) {
      const deploys = stageNamed(built.template, stage.name).Actions.filter(
        (a) => a.ActionTypeId.Provider === 'CloudFormation',
      );
      expect(deploys.length).toBeGreaterThan(0);
      for (const action of deploys) {
        expect(JSON.stringify(action.RoleArn)).toContain(
          `:iam::${stage.account}:role/cdk-hnb659fds-deploy-role-${stage.account}-${stage.region}`,
        );
      }
    }
  });

  test('prod and staging create their change sets, summarize them, wait for the approval, then execute', () => {
    for (const name of ['staging', 'prod']) {
      const sequence = [...stageNamed(built.template, name).Actions]
        .sort((a, b) => a.RunOrder - b.RunOrder)
        .map((a) => `${a.RunOrder}:${a.Name.replace(/^.*\.(Prepare|Deploy)$/, '$1')}`);
      expect(sequence).toEqual(['1:Prepare', '2:SummarizeChangeSets', `3:Approve-${name}`, '4:Deploy']);
    }
  });

  test('dev deploys without an approval', () => {
    const providers = stageNamed(built.template, 'dev').Actions.map((a) => a.ActionTypeId.Provider);
    expect(providers).not.toContain('Manual');
  });

  test('the artifact key and the notification key are rotated', () => {
    const keys = Object.values(built.template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys)
      expect((key.Properties as { EnableKeyRotation?: boolean }).EnableKeyRotation).toBe(true);
  });

  test('the artifact store uses the artifact key', () => {
    const [pipeline] = Object.values(built.template.findResources('AWS::CodePipeline::Pipeline'));
    const stores = (
      pipeline.Properties as { ArtifactStores: { ArtifactStore: { EncryptionKey?: { Type: string } } }[] }
    ).ArtifactStores;
    expect(stores.length).toBeGreaterThan(0);
    for (const store of stores) expect(store.ArtifactStore.EncryptionKey?.Type).toBe('KMS');
  });

  test('every CodeBuild project is encrypted with a KMS key', () => {
    const projects = Object.values(built.template.findResources('AWS::CodeBuild::Project'));
    expect(projects.length).toBeGreaterThanOrEqual(3);
    for (const project of projects)
      expect((project.Properties as { EncryptionKey?: unknown }).EncryptionKey).toBeDefined();
  });

  test('a failed execution is announced on a KMS-encrypted topic', () => {
    const topics = built.template.findResources('AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: Match.anyValue() },
    });
    const [topicId] = Object.keys(topics);
    expect(topicId).toBeDefined();
    built.template.hasResourceProperties('AWS::CodeStarNotifications::NotificationRule', {
      EventTypeIds: ['codepipeline-pipeline-pipeline-execution-failed'],
      Targets: [{ TargetType: 'SNS', TargetAddress: { Ref: topicId } }],
    });
  });

  test('the artifact bucket writes server access logs to the log bucket', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'artifacts/' },
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'S3LogDeliveryFromArtifactBucket',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  test('cdk-nag finds nothing unacknowledged in the pipeline stack', () => {
    const report = new AwsSolutionsChecks().validateScope(built.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged in the support stack of the other region', () => {
    const supports = Object.values(built.stack.pipeline.pipeline.crossRegionSupport).filter(
      (s) => s.stack !== built.stack,
    );
    expect(supports.map((s) => s.stack.region)).toEqual(['eu-central-1']);
    const report = new AwsSolutionsChecks().validateScope(supports[0].stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('pre and post steps', () => {
  let built: Built;
  beforeAll(() => {
    built = build({
      preSteps: (stage) => [new ShellStep(`Check-${stage.name}`, { commands: ['echo check'] })],
      postSteps: (stage) =>
        stage.name === 'dev'
          ? [
              new ShellStep('SmokeTest', { commands: ['echo smoke'] }),
              new ShellStep('Report', { commands: ['echo report'] }),
            ]
          : [],
    });
  });

  const runOrder = (stage: string, action: string): number => {
    const found = stageNamed(built.template, stage).Actions.find(
      (a) => a.Name === action || a.Name.endsWith(`.${action}`),
    );
    if (!found) throw new Error(`no action ${action} in ${stage}`);
    return found.RunOrder;
  };

  test('in a stage with an approval, pre steps run beside change-set creation, before the summary', () => {
    expect(runOrder('prod', 'Check-prod')).toBe(runOrder('prod', 'Prepare'));
    expect(runOrder('prod', 'Check-prod')).toBeLessThan(runOrder('prod', 'SummarizeChangeSets'));
    expect(runOrder('prod', 'SummarizeChangeSets')).toBeLessThan(runOrder('prod', 'Approve-prod'));
  });

  test('in a stage without an approval, pre steps run before the change sets are created', () => {
    expect(runOrder('dev', 'Check-dev')).toBeLessThan(runOrder('dev', 'Prepare'));
  });

  test('post steps run after the deployment, in the order given', () => {
    const deployOrders = stageNamed(built.template, 'dev')
      .Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation')
      .map((a) => a.RunOrder);
    expect(runOrder('dev', 'SmokeTest')).toBeGreaterThan(Math.max(...deployOrders));
    expect(runOrder('dev', 'Report')).toBeGreaterThan(runOrder('dev', 'SmokeTest'));
  });
});

describe('the synth step for another config file and app', () => {
  test('a committed config file other than the default is passed to cdk synth', () => {
    const { template } = build({ configFile: 'configs/three-stages.json' });
    expect(buildSpecOf(template, 'Synth')).toContain(
      'cd infrastructure-repo && npx cdk synth -c config=../configs/three-stages.json',
    );
  });

  test('the application pipeline synthesizes the application workspace with Python and Java for its job tests', () => {
    const { template } = build({ app: 'application' });
    const spec = JSON.parse(buildSpecOf(template, 'Synth')) as {
      phases: { build: { commands: string[] }; install: { 'runtime-versions': Record<string, string> } };
      artifacts: { 'base-directory': string };
    };
    expect(spec.phases.build.commands).toEqual([
      'npm ci --ignore-scripts',
      'npm run ci:application',
      'cd application-repo && npx cdk synth',
    ]);
    expect(spec.artifacts['base-directory']).toBe('application-repo/cdk.out');
    expect(spec.phases.install['runtime-versions']).toEqual({
      nodejs: '22',
      python: '3.11',
      java: 'corretto17',
    });
  });
});
