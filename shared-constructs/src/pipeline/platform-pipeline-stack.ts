import { Stack, StackProps, Stage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import {
  CodeBuildOptions,
  CodePipeline,
  CodePipelineSource,
  ManualApprovalStep,
  ShellStep,
  Step,
} from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';

import { PlatformConfig, StageConfig } from '../config-schema';
import { PlatformApp, pipelineName, pipelineStackName } from '../naming';

import { ArtifactAccessLogs } from './artifact-access-logs';
import { PipelineFailureNotification } from './pipeline-failure-notification';
import { acknowledgePipelineFindings, acknowledgeReplicationBuckets } from './pipeline-nag';
import { APP_WORKSPACES, appSource, triggerFilePathGroups } from './pipeline-source';

/**
 * The CDK CLI the self-mutation step installs. Pinned: npm's `latest` tag of `aws-cdk` points at a 3.0.0
 * published by mistake that cannot read current cloud assemblies. Keep it equal to the root devDependency.
 */
export const CDK_CLI_VERSION = '2.1148.1';

/** Runtime versions the CodeBuild standard 7.0 image installs for the steps CDK generates. */
export const DEFAULT_BUILD_RUNTIMES: Record<string, string> = { nodejs: '22' };

/** What each app's checks need in the synth step: the application also runs the PySpark tests (Glue 5.1). */
export const DEFAULT_SYNTH_RUNTIMES: Record<PlatformApp, Record<string, string>> = {
  infrastructure: DEFAULT_BUILD_RUNTIMES,
  application: { ...DEFAULT_BUILD_RUNTIMES, python: '3.11', java: 'corretto17' },
};

export interface PlatformPipelineStackProps extends StackProps {
  /** The validated platform config: accounts, source and stages. */
  readonly config: PlatformConfig;
  /** Which app this pipeline builds and deploys; picks its workspace, names and trigger paths. */
  readonly app: PlatformApp;
  /** Builds the CDK Stage deployed to one configured stage (id = stage name). */
  readonly createStage: (scope: Construct, id: string, stage: StageConfig) => Stage;
  /** Extra steps before a stage deploys, after its approval. @default none */
  readonly preSteps?: (stage: StageConfig) => Step[];
  /** Steps after a stage deploys (smoke tests). @default none */
  readonly postSteps?: (stage: StageConfig) => Step[];
  /**
   * Repository-relative path of the config file the pipeline synthesizes with; it must be committed.
   * @default - the embedded `platform.config.json`
   */
  readonly configFile?: string;
  /**
   * `runtime-versions` of the build image for the synth step (the app's checks may need Python or Java).
   * @default DEFAULT_SYNTH_RUNTIMES of the app
   */
  readonly synthRuntimes?: Record<string, string>;
}

/**
 * One app's self-mutating CodePipeline V2 in the pipeline account: CodeConnections source, a synth step that
 * installs, checks and synthesizes only this app, asset publishing in one project, then the configured stages in
 * order, each behind a manual approval if the config asks for one, and a notification when an execution fails.
 * A push starts it only if it touches this app's workspace, the shared library or the root files.
 */
export class PlatformPipelineStack extends Stack {
  readonly pipeline: CodePipeline;
  readonly failureNotification: PipelineFailureNotification;
  readonly artifactAccessLogs: ArtifactAccessLogs;

  constructor(scope: Construct, id: string, props: PlatformPipelineStackProps) {
    const { config, app } = props;
    super(scope, id, {
      ...props,
      env: { account: config.pipeline.account, region: config.pipeline.region },
      stackName: pipelineStackName(config.project, app),
      description: `Self-mutating ${app} pipeline of ${config.project}`,
    });

    const source = appSource(config, app);
    const input = CodePipelineSource.connection(source.repository, source.branch, {
      connectionArn: source.connectionArn,
    });
    const workspace = APP_WORKSPACES[app];
    const configArgument = props.configFile ? ` -c config=../${props.configFile}` : '';

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: pipelineName(config.project, app),
      pipelineType: codepipeline.PipelineType.V2,
      selfMutation: true,
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
      cliVersion: CDK_CLI_VERSION,
      codeBuildDefaults: buildOptions(DEFAULT_BUILD_RUNTIMES, codebuild.ComputeType.SMALL),
      // The synth step type-checks, lints and tests the whole workspace (and Spark for the application).
      synthCodeBuildDefaults: buildOptions(
        props.synthRuntimes ?? DEFAULT_SYNTH_RUNTIMES[app],
        codebuild.ComputeType.MEDIUM,
      ),
      synth: new ShellStep('Synth', {
        input,
        commands: ['npm ci', `npm run ci:${app}`, `cd ${workspace} && npx cdk synth${configArgument}`],
        primaryOutputDirectory: `${workspace}/cdk.out`,
      }),
    });

    for (const stage of config.stages) {
      const approval = stage.requireApproval
        ? [
            new ManualApprovalStep(`Approve-${stage.name}`, {
              comment: `Deploy ${app} to ${stage.name} (${stage.account})?`,
            }),
          ]
        : [];
      this.pipeline.addStage(props.createStage(this, stage.name, stage), {
        pre: Step.sequence([...approval, ...(props.preSteps?.(stage) ?? [])]),
        post: Step.sequence(props.postSteps?.(stage) ?? []),
      });
    }

    this.pipeline.buildPipeline();
    addPushTrigger(this.pipeline.pipeline, source.branch, triggerFilePathGroups(app, props.configFile));
    this.artifactAccessLogs = new ArtifactAccessLogs(this, 'ArtifactAccessLogs', {
      artifactBucket: this.pipeline.pipeline.artifactBucket,
    });
    this.failureNotification = new PipelineFailureNotification(this, 'FailureNotification', {
      pipeline: this.pipeline.pipeline,
      email: config.notificationEmail,
    });
    acknowledgePipelineFindings(this.pipeline);
    acknowledgeReplicationBuckets(this.pipeline.pipeline);
  }
}

function buildOptions(
  runtimes: Record<string, string>,
  computeType: codebuild.ComputeType,
): CodeBuildOptions {
  return {
    buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType },
    partialBuildSpec: codebuild.BuildSpec.fromObject({
      phases: { install: { 'runtime-versions': runtimes } },
    }),
  };
}

/**
 * The pipelines module has no prop for V2 triggers, so they go on the underlying pipeline once it is built:
 * a push to `branch` that changes a file matching one of the groups starts the pipeline; other pushes do not.
 */
function addPushTrigger(pipeline: codepipeline.Pipeline, branch: string, filePathGroups: string[][]): void {
  const sourceAction = pipeline.stages[0]?.actions[0];
  if (!sourceAction || sourceAction.actionProperties.provider !== 'CodeStarSourceConnection') {
    throw new Error(
      `Pipeline ${pipeline.node.path}: expected a CodeStarSourceConnection action first, ` +
        `got ${sourceAction?.actionProperties.provider ?? 'no action'}`,
    );
  }
  pipeline.addTrigger({
    providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
    gitConfiguration: {
      sourceAction,
      pushFilter: filePathGroups.map((filePathsIncludes) => ({
        branchesIncludes: [branch],
        filePathsIncludes,
      })),
    },
  });
}
