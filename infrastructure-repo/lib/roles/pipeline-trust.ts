import { NameContext, PIPELINE_STEPS, pipelineStepRoleName } from '@glue-platform/shared-constructs';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** The ARN of the application pipeline's CodeBuild role for `step` of this stage, in the pipeline account. */
export const pipelineStepRoleArn = (
  ctx: NameContext,
  pipelineAccount: string,
  step: (typeof PIPELINE_STEPS)[keyof typeof PIPELINE_STEPS],
): string =>
  `arn:${Aws.PARTITION}:iam::${pipelineAccount}:role/${pipelineStepRoleName(ctx.project, 'application', step, ctx.stage)}`;

/**
 * Trust in the pipeline account narrowed to one named role: the account is the principal (so the trust policy
 * survives the role being recreated, which a role ARN principal would not) and `aws:PrincipalArn` admits only
 * that role. Any other principal of the pipeline account allowed `sts:AssumeRole` on `*` is refused.
 */
export const pipelineStepPrincipal = (
  ctx: NameContext,
  pipelineAccount: string,
  step: (typeof PIPELINE_STEPS)[keyof typeof PIPELINE_STEPS],
): iam.IPrincipal =>
  new iam.AccountPrincipal(pipelineAccount).withConditions({
    ArnEquals: { 'aws:PrincipalArn': pipelineStepRoleArn(ctx, pipelineAccount, step) },
  });
