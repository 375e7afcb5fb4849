import {
  NameContext,
  PIPELINE_STEPS,
  pipelineStepRoleName,
  namePipelineStepRole,
} from '@glue-platform/shared-constructs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, CodeBuildStepProps, CodePipeline } from 'aws-cdk-lib/pipelines';

import { STEP_ENV } from './step-env';

/** A step of the application pipeline that acts in a stage account. */
export type StageStep = (typeof PIPELINE_STEPS)[keyof typeof PIPELINE_STEPS];

/** A role of the stage account by name. The config accepts commercial regions only, hence the `aws` partition. */
export const stageRoleArn = (ctx: NameContext, roleName: string): string =>
  `arn:aws:iam::${ctx.account}:role/${roleName}`;

export interface StageRoleStepProps extends CodeBuildStepProps {
  /** Names of the stage the step acts in. */
  readonly ctx: NameContext;
  /** Which step, as named in `pipelineStepRoleName` (the stage role trusts the step's role by that name). */
  readonly step: StageStep;
  /** The role of the stage account the step assumes (created by the infrastructure stack). */
  readonly stageRoleName: string;
}

/**
 * A CodeBuild step that assumes one role of a stage account. Its own CodeBuild role gets a fixed name
 * (`pipelineStepRoleName`), which is the one principal the stage role trusts, and may assume only that stage role.
 * The pipelines module creates the CodeBuild role itself, so the pipeline stack names it once the pipeline is built
 * (`applyRoleName`).
 */
export abstract class StageRoleStep extends CodeBuildStep {
  /** The stage (and pipeline stage) this step belongs to. */
  readonly stageName: string;
  /** Name of the step's CodeBuild role in the pipeline account. */
  readonly stepRoleName: string;
  /** The stage role the step assumes. */
  readonly stageRoleArn: string;

  protected constructor(id: string, props: StageRoleStepProps) {
    const { ctx, step, stageRoleName, env, rolePolicyStatements, ...rest } = props;
    const roleArn = stageRoleArn(ctx, stageRoleName);
    super(id, {
      ...rest,
      env: {
        [STEP_ENV.stageName]: ctx.stage,
        [STEP_ENV.stageAccount]: ctx.account,
        [STEP_ENV.stageRegion]: ctx.region,
        [STEP_ENV.stageRoleArn]: roleArn,
        ...env,
      },
      rolePolicyStatements: [
        new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] }),
        ...(rolePolicyStatements ?? []),
      ],
    });
    this.stageName = ctx.stage;
    this.stepRoleName = pipelineStepRoleName(ctx.project, 'application', step, ctx.stage);
    this.stageRoleArn = roleArn;
  }

  /** Gives this step's CodeBuild role its fixed name; call once the pipeline is built. */
  applyRoleName(pipeline: CodePipeline): void {
    namePipelineStepRole(pipeline, this.stageName, this.id, this.stepRoleName);
  }
}
