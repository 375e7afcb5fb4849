import { NameContext, smokeTestRoleName } from '@glue-platform/shared-constructs';

/**
 * The stage's smoke-test role, which the pipeline account may assume (created by the infrastructure stack).
 * The config accepts commercial regions only, hence the `aws` partition.
 */
export const stageSmokeTestRoleArn = (ctx: NameContext): string =>
  `arn:aws:iam::${ctx.account}:role/${smokeTestRoleName(ctx)}`;
