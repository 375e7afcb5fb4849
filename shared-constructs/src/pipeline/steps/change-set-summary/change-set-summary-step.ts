import * as path from 'node:path';

import { Duration } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';

import { embeddedScriptCommands } from '../embedded-script';

import { consoleObjectUrl } from './run-change-set-summary';
import { SUMMARY_ENV, SummaryTarget } from './step-env';

/** The change set CDK's pipelines module creates (Prepare) and executes (Deploy) for every stack. */
export const CDK_PIPELINES_CHANGE_SET_NAME = 'PipelineChange';

/** The script the step runs, bundled at synth time. */
export const SUMMARY_SCRIPT = path.join(__dirname, 'run-change-set-summary.ts');

export interface ChangeSetSummaryStepProps {
  /** The stage whose change sets are summarized (the pipeline stage name). */
  readonly stageName: string;
  /** The stage's stacks, each with the read-only role that may describe its change set. */
  readonly targets: readonly SummaryTarget[];
  /** Where the summary is uploaded. */
  readonly bucket: s3.IBucket;
  /** The pipeline's name and region: the summary's key and the console link derive from them. */
  readonly pipelineName: string;
  readonly pipelineRegion: string;
  /** The commit being released: the source action's `CommitId` and `CommitMessage` variables. */
  readonly commitId: string;
  readonly commitMessage: string;
}

/** Key of one execution's summary for one stage; the execution id is resolved by CodePipeline at run time. */
export function summaryObjectKey(pipelineName: string, stageName: string): string {
  return `${pipelineName}/${codepipeline.GlobalVariables.executionId}/${stageName}.html`;
}

/**
 * Runs after a stage's change sets are created and before its approval: summarizes them per stack (resources
 * added, modified, replaced and removed; IAM, key-policy and security-group changes called out) in the log and in
 * an HTML page in the summary bucket, which `reviewUrl` opens.
 */
export class ChangeSetSummaryStep extends CodeBuildStep {
  /** The S3 console link to this execution's summary, for the approval. */
  readonly reviewUrl: string;

  constructor(id: string, props: ChangeSetSummaryStepProps) {
    if (props.targets.length === 0) {
      throw new Error(`ChangeSetSummaryStep ${id}: stage ${props.stageName} has no stacks to summarize`);
    }
    const key = summaryObjectKey(props.pipelineName, props.stageName);
    super(id, {
      commands: embeddedScriptCommands(SUMMARY_SCRIPT, 'change-set-summary.js'),
      env: {
        [SUMMARY_ENV.stageName]: props.stageName,
        [SUMMARY_ENV.targets]: JSON.stringify(props.targets),
        [SUMMARY_ENV.bucket]: props.bucket.bucketName,
        [SUMMARY_ENV.bucketRegion]: props.pipelineRegion,
        [SUMMARY_ENV.objectKey]: key,
        [SUMMARY_ENV.executionId]: codepipeline.GlobalVariables.executionId,
        [SUMMARY_ENV.commitId]: props.commitId,
        [SUMMARY_ENV.commitMessage]: props.commitMessage,
      },
      rolePolicyStatements: [
        new iam.PolicyStatement({
          actions: ['sts:AssumeRole'],
          resources: [...new Set(props.targets.map((t) => t.roleArn))],
        }),
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(`${props.pipelineName}/*`)],
        }),
      ],
      timeout: Duration.minutes(10),
    });
    this.reviewUrl = consoleObjectUrl(props.bucket.bucketName, key, props.pipelineRegion);
  }
}
