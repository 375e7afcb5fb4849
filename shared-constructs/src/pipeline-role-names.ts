import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CodePipeline } from 'aws-cdk-lib/pipelines';

import { assetPublishingRoleName, PlatformApp, pipelineRoleName } from './naming';

/**
 * Roles of the pipeline account that roles in the stage accounts trust. CDK generates their names, so a stage
 * could only trust the whole pipeline account; with fixed names, a stage's trust policy admits exactly them
 * (`aws:PrincipalArn`). Applied to the CloudFormation resources after the pipeline is built, because the
 * pipelines module creates these roles itself and has no prop for their names.
 */

/** Sets the physical name of a role CDK created; fails when the construct is not a role of this stack. */
function setRoleName(role: iam.IRole | undefined, roleName: string, what: string): void {
  const resource = role?.node.defaultChild;
  if (!(resource instanceof iam.CfnRole)) {
    throw new Error(`Cannot name ${what} "${roleName}": the pipeline did not create that role in this stack`);
  }
  resource.roleName = roleName;
}

/**
 * Names the CodePipeline service role (it assumes the stage accounts' CDK deploy roles for the CloudFormation
 * actions) and the file-asset publishing CodeBuild role (it assumes their file-publishing roles).
 */
export function namePipelineRoles(pipeline: CodePipeline, project: string, app: PlatformApp): void {
  setRoleName(pipeline.pipeline.role, pipelineRoleName(project, app), `the ${app} pipeline's service role`);
  // Both apps publish file assets (the trigger bundle, the Glue scripts); a pipeline without CDK's file-asset
  // role would publish through a role no stage trusts, so its absence fails here rather than at the first deploy.
  const fileRole = pipeline.node.tryFindChild('Assets')?.node.tryFindChild('FileRole') as
    iam.IRole | undefined;
  setRoleName(fileRole, assetPublishingRoleName(project, app), `the ${app} asset-publishing role`);
}

/**
 * Names the CodeBuild role of one step (action `actionName` of pipeline stage `stageName`), so the stage role the
 * step assumes can trust it by name.
 */
export function namePipelineStepRole(
  pipeline: CodePipeline,
  stageName: string,
  actionName: string,
  roleName: string,
): void {
  const stage = pipeline.pipeline.stages.find((s) => s.stageName === stageName);
  // With several stacks in a stage, the pipelines module prefixes a stack step's action with its stack's name.
  const action = stage?.actions.find(
    ({ actionProperties: { actionName: name } }) => name === actionName || name.endsWith(`.${actionName}`),
  );
  const project = action?.actionProperties.resource as codebuild.IProject | undefined;
  setRoleName(project?.role, roleName, `the role of step ${actionName} in pipeline stage ${stageName}`);
}
