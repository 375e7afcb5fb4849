import { NameContext, smokeTestRoleName } from '@glue-platform/shared-constructs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

import { STEP_ENV } from '../scripts/step-env';

/**
 * The stage's smoke-test role, which the pipeline account may assume (created by the infrastructure stack).
 * The config accepts commercial regions only, hence the `aws` partition.
 */
export const stageSmokeTestRoleArn = (ctx: NameContext): string =>
  `arn:aws:iam::${ctx.account}:role/${smokeTestRoleName(ctx)}`;

/** What a pipeline step that acts in a stage as its smoke-test role needs: where it acts and leave to assume. */
export const stageRoleStepProps = (
  ctx: NameContext,
): { env: Record<string, string>; rolePolicyStatements: PolicyStatement[] } => {
  const roleArn = stageSmokeTestRoleArn(ctx);
  return {
    env: {
      [STEP_ENV.stageName]: ctx.stage,
      [STEP_ENV.stageAccount]: ctx.account,
      [STEP_ENV.stageRegion]: ctx.region,
      [STEP_ENV.stageRoleArn]: roleArn,
    },
    rolePolicyStatements: [new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [roleArn] })],
  };
};
