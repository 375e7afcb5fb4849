import { DefaultStackSynthesizer, Stack, StackProps, Stage } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import {
  CodeBuildOptions,
  CodePipeline,
  CodePipelineSource,
  ManualApprovalStep,
  ShellStep,
  StackSteps,
  Step,
} from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';

import { PlatformConfig, StageConfig } from '../config-schema';
import {
  CHANGE_SET_SUMMARY_STEP,
  PlatformApp,
  pipelineName,
  pipelineStackName,
  pipelineStepRoleName,
} from '../naming';
import { namePipelineStepRole } from '../pipeline-role-names';

import { ArtifactAccessLogs } from './artifact-access-logs';
import { PipelineFailureNotification } from './pipeline-failure-notification';
import { acknowledgePipelineFindings, acknowledgeReplicationBuckets } from './pipeline-nag';
import { APP_WORKSPACES, appSource, triggerFilePathGroups } from './pipeline-source';
import {
  CDK_PIPELINES_CHANGE_SET_NAME,
  ChangeSetSummaryBucket,
  ChangeSetSummaryStep,
  SummaryTarget,
} from './steps/change-set-summary';

/**
 * The CDK CLI the self-mutation step installs. Pinned: npm's `latest` tag of `aws-cdk` points at a 3.0.0
 * published by mistake that cannot read current cloud assemblies. Keep it equal to the root devDependency.
 */
export const CDK_CLI_VERSION = '2.1148.1';

/**
 * The cdk-assets CLI the asset-publishing step installs, while it holds the publishing roles of every stage
 * account: pinned, never `latest`. Bump it together with CDK_CLI_VERSION. 4.7.3 is the newest release in the
 * registry, and it reads asset manifests up to schema 54 while aws-cdk-lib 2.276 writes 55: see "Known
 * limitation" in docs/releasing.md.
 */
export const CDK_ASSETS_CLI_VERSION = '4.7.3';

/**
 * How the synth step installs the npm packages: exactly the lock file, and no package's install script runs (none
 * of this repository's dependencies needs one: esbuild and @parcel/watcher take their binaries from optional
 * platform packages). The same setting reaches every other npm command of the pipeline's builds through
 * NPM_ENV, which covers the `npm install -g` that CDK generates for self-mutation and asset publishing.
 */
export const SYNTH_INSTALL_COMMAND = 'npm ci --ignore-scripts';
export const NPM_ENV: Record<string, string> = { npm_config_ignore_scripts: 'true' };

/** A newer execution replaces one still waiting to enter a stage (CodePipeline V2). */
export const PIPELINE_EXECUTION_MODE = codepipeline.ExecutionMode.SUPERSEDED;

/** Prefix, in the access-log bucket, of the change-set summary bucket's server access logs. */
export const SUMMARY_LOG_PREFIX = 'change-set-summaries/';

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
  /**
   * Checks before a stage deploys. In a stage without approval they run before its change sets are created; in a
   * stage with one, beside change-set creation, and the summary and the approval wait for them. @default none
   */
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
 * order, and a notification when an execution fails. A stage that asks for an approval first creates its change
 * sets, summarizes them for the approver, then waits for the approval, whose comment names the commit and whose
 * review link opens the summary; only then are the change sets executed. A failed stage rolls back to its last
 * successful execution, and a newer execution supersedes one waiting to enter a stage.
 * A push starts it only if it touches this app's workspace, the shared library or the root files.
 */
export class PlatformPipelineStack extends Stack {
  readonly pipeline: CodePipeline;
  readonly failureNotification: PipelineFailureNotification;
  readonly artifactAccessLogs: ArtifactAccessLogs;
  /** Where the change-set summaries go; only when a stage asks for an approval. */
  readonly summaryBucket?: ChangeSetSummaryBucket;

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
    const name = pipelineName(config.project, app);

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: name,
      pipelineType: codepipeline.PipelineType.V2,
      selfMutation: true,
      crossAccountKeys: true,
      enableKeyRotation: true,
      publishAssetsInParallel: false,
      cliVersion: CDK_CLI_VERSION,
      cdkAssetsCliVersion: CDK_ASSETS_CLI_VERSION,
      codeBuildDefaults: buildOptions(DEFAULT_BUILD_RUNTIMES, codebuild.ComputeType.SMALL),
      // The synth step type-checks, lints and tests the whole workspace (and Spark for the application).
      synthCodeBuildDefaults: buildOptions(
        props.synthRuntimes ?? DEFAULT_SYNTH_RUNTIMES[app],
        codebuild.ComputeType.MEDIUM,
      ),
      synth: new ShellStep('Synth', {
        input,
        commands: [
          SYNTH_INSTALL_COMMAND,
          `npm run ci:${app}`,
          `cd ${workspace} && npx cdk synth${configArgument}`,
        ],
        primaryOutputDirectory: `${workspace}/cdk.out`,
      }),
    });

    if (config.stages.some((stage) => stage.requireApproval)) {
      this.summaryBucket = new ChangeSetSummaryBucket(this, 'ChangeSetSummaries');
    }
    for (const stage of config.stages) {
      const cdkStage = props.createStage(this, stage.name, stage);
      const checks = props.preSteps?.(stage) ?? [];
      const post = Step.sequence(props.postSteps?.(stage) ?? []);
      if (!stage.requireApproval || !this.summaryBucket) {
        this.pipeline.addStage(cdkStage, { pre: Step.sequence(checks), post });
        continue;
      }
      const stacks = independentStacks(cdkStage);
      const summary = new ChangeSetSummaryStep('SummarizeChangeSets', {
        stageName: stage.name,
        targets: stacks.map(summaryTarget),
        bucket: this.summaryBucket,
        pipelineName: name,
        pipelineRegion: config.pipeline.region,
        commitId: input.sourceAttribute('CommitId'),
        commitMessage: input.sourceAttribute('CommitMessage'),
      });
      for (const check of checks) summary.addStepDependency(check);
      const approval = new ManualApprovalStep(`Approve-${stage.name}`, {
        comment: approvalComment(app, stage, input),
        reviewUrl: summary.reviewUrl,
      });
      approval.addStepDependency(summary);
      const stackSteps: StackSteps[] = stacks.map((stack) => ({ stack, changeSet: [summary, approval] }));
      this.pipeline.addStage(cdkStage, { stackSteps, post });
    }

    this.pipeline.buildPipeline();
    // The stage bootstrap lets only these named roles read change sets through the lookup role (docs/bootstrap.md).
    for (const stage of config.stages.filter((s) => s.requireApproval && this.summaryBucket)) {
      const roleName = pipelineStepRoleName(config.project, app, CHANGE_SET_SUMMARY_STEP, stage.name);
      namePipelineStepRole(this.pipeline, stage.name, 'SummarizeChangeSets', roleName);
    }
    addPushTrigger(this.pipeline.pipeline, source.branch, triggerFilePathGroups(app, props.configFile));
    configureExecutions(this.pipeline.pipeline, new Set(config.stages.map((stage) => stage.name)));
    this.artifactAccessLogs = new ArtifactAccessLogs(this, 'ArtifactAccessLogs', {
      artifactBucket: this.pipeline.pipeline.artifactBucket,
    });
    if (this.summaryBucket) {
      this.artifactAccessLogs.addSourceBucket(
        this.summaryBucket,
        SUMMARY_LOG_PREFIX,
        'S3LogDeliveryFromChangeSetSummaries',
      );
    }
    this.failureNotification = new PipelineFailureNotification(this, 'FailureNotification', {
      pipeline: this.pipeline.pipeline,
      email: config.notificationEmail,
    });
    acknowledgePipelineFindings(this.pipeline);
    acknowledgeReplicationBuckets(this.pipeline.pipeline);
  }
}

/**
 * The approver reads which commit is about to be deployed where; CodePipeline fills in the source variables. The
 * summary of the change sets is behind the approval's review link.
 */
function approvalComment(app: PlatformApp, stage: StageConfig, source: CodePipelineSource): string {
  return (
    `Deploy ${app} to ${stage.name} (${stage.account}, ${stage.region}) at commit ` +
    `${source.sourceAttribute('CommitId')}: ${source.sourceAttribute('CommitMessage')}. ` +
    'Review the change sets at the link.'
  );
}

/**
 * The stacks of a stage that needs an approval. One summary and one approval wait for all their change sets, so no
 * stack may depend on another of the stage: its change set could only be created after the other deployed, that
 * is after the approval.
 */
function independentStacks(stage: Stage): Stack[] {
  const stacks = stage.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested);
  if (stacks.length === 0) throw new Error(`Stage ${stage.stageName} has no stacks to deploy`);
  for (const stack of stacks) {
    const inStage = stack.dependencies.filter((d) => stacks.includes(d));
    if (inStage.length > 0) {
      throw new Error(
        `Stage ${stage.stageName} requires an approval, but its stack ${stack.stackName} depends on ` +
          `${inStage.map((d) => d.stackName).join(', ')} of the same stage: their change sets cannot all exist ` +
          'before the approval. Merge the stacks, or deploy the other one in an earlier stage.',
      );
    }
  }
  return stacks;
}

/** Which change set of `stack` to summarize, as the CDK bootstrap lookup role (read-only) of its environment. */
function summaryTarget(stack: Stack): SummaryTarget {
  const synthesizer = stack.synthesizer;
  const template = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.lookupRole : undefined;
  if (template === undefined) {
    throw new Error(
      `Stack ${stack.stackName} does not use the default synthesizer; the change-set summary needs its ` +
        'bootstrap lookup role',
    );
  }
  // The config accepts commercial regions only, hence the `aws` partition.
  const roleArn = template
    .replace(/\$\{AWS::Partition\}/g, 'aws')
    .replace(/\$\{AWS::AccountId\}/g, stack.account)
    .replace(/\$\{AWS::Region\}/g, stack.region);
  return {
    stackName: stack.stackName,
    changeSetName: CDK_PIPELINES_CHANGE_SET_NAME,
    account: stack.account,
    region: stack.region,
    roleArn,
  };
}

/**
 * What the pipelines module has no prop for, set on the built pipeline: the execution mode, and a rollback of every
 * deployment stage that fails (to the artifacts of its last successful execution).
 */
function configureExecutions(pipeline: codepipeline.Pipeline, deploymentStages: ReadonlySet<string>): void {
  const cfnPipeline = pipeline.node.defaultChild;
  if (!(cfnPipeline instanceof codepipeline.CfnPipeline)) {
    throw new Error(`Pipeline ${pipeline.node.path} has no CfnPipeline to configure`);
  }
  cfnPipeline.executionMode = PIPELINE_EXECUTION_MODE;
  const names = pipeline.stages.map((stage) => stage.stageName);
  for (const stageName of deploymentStages) {
    const index = names.indexOf(stageName);
    if (index < 0) throw new Error(`Pipeline ${pipeline.node.path} has no stage ${stageName} to roll back`);
    cfnPipeline.addPropertyOverride(`Stages.${index}.OnFailure`, { Result: codepipeline.Result.ROLLBACK });
  }
}

function buildOptions(
  runtimes: Record<string, string>,
  computeType: codebuild.ComputeType,
): CodeBuildOptions {
  return {
    buildEnvironment: {
      buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
      computeType,
      environmentVariables: Object.fromEntries(
        Object.entries(NPM_ENV).map(([key, value]) => [key, { value }]),
      ),
    },
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
