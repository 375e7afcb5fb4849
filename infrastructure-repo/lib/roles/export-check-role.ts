import {
  acknowledge,
  exportCheckRoleName,
  NameContext,
  PIPELINE_STEPS,
} from '@glue-platform/shared-constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { pipelineStepPrincipal } from './pipeline-trust';

export interface ExportCheckRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The account of the pipelines; only the export-check step's role there may assume this role. */
  readonly pipelineAccount: string;
}

/**
 * The role the application pipeline's export check assumes before a stage deploys. It can list the stage's
 * CloudFormation exports and nothing else: no data, no key, no job.
 */
export class ExportCheckRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ExportCheckRoleProps) {
    super(scope, id);
    const { ctx } = props;
    this.role = new iam.Role(this, 'Resource', {
      roleName: exportCheckRoleName(ctx),
      assumedBy: pipelineStepPrincipal(ctx, props.pipelineAccount, PIPELINE_STEPS.exportCheck),
      description: `Assumed by the application pipeline to list the exports of ${ctx.project} stage ${ctx.stage}`,
      inlinePolicies: {
        ListExports: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'ListExports',
              actions: ['cloudformation:ListExports'],
              resources: ['*'],
            }),
          ],
        }),
      },
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudformation:ListExports has no resource-level permissions; it only lists export names and values.',
    );
  }
}
