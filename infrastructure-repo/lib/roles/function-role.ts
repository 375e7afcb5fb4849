import { acknowledgeWildcardResource, NameContext } from '@glue-platform/shared-constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { logGroupArn } from '../private/arns';

/** A function's log group: `/aws/lambda/<function name>`, created by the stack with a retention. */
export const functionLogGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** A resource with a wildcard the role's policy needs, and why the wildcard is safe (for cdk-nag). */
export interface WildcardResource {
  readonly resource: string;
  readonly reason: string;
}

export interface FunctionRoleProps {
  readonly ctx: NameContext;
  readonly roleName: string;
  readonly description: string;
  /** Name of the role's one inline policy. */
  readonly policyName: string;
  /** What the function does; the statement that lets it write its own logs is added after them. */
  readonly statements: readonly iam.PolicyStatement[];
  /** The function's log group, whose streams the role may write. */
  readonly logGroupName: string;
  /** Wildcard resources of `statements`, acknowledged with their reasons. */
  readonly wildcards: readonly WildcardResource[];
}

/**
 * A role for one of the stage's Lambda functions: `statements` plus writing the function's own log streams, as one
 * inline policy, so the function gets the role without policy updates and no construct can widen it.
 */
export function createFunctionRole(scope: Construct, props: FunctionRoleProps): iam.Role {
  const { ctx } = props;
  const logStreams = `${logGroupArn(ctx, props.logGroupName)}:log-stream:*`;
  const statements = [
    ...props.statements,
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logStreams],
    }),
  ];
  const role = new iam.Role(scope, 'Resource', {
    roleName: props.roleName,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description,
    inlinePolicies: { [props.policyName]: new iam.PolicyDocument({ statements }) },
  });
  const wildcards: readonly WildcardResource[] = [
    ...props.wildcards,
    {
      resource: logStreams,
      reason: 'Lambda creates a new log stream per execution environment in the function own log group.',
    },
  ];
  for (const { resource, reason } of wildcards) acknowledgeWildcardResource(role, resource, reason);
  return role;
}
