import {
  assetsBucketName,
  DEFAULT_JOB_ID,
  fileLedgerTableName,
  glueJobName,
  NameContext,
  S3_PREFIXES,
  triggerFunctionName,
  triggerFunctionRoleName,
  triggerQueueName,
} from '@glue-platform/shared-constructs';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { dynamodbTableArn, glueArn, s3ObjectsArn } from '../private/arns';

import { createFunctionRole, functionLogGroupName } from './function-role';

export interface TriggerFunctionRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The stage's data key (queue messages and manifests are encrypted with it). */
  readonly key: kms.IKey;
}

/** The trigger function's log group: `/aws/lambda/<function name>`, created by the stack with a retention. */
export const triggerLogGroupName = (ctx: NameContext): string =>
  functionLogGroupName(triggerFunctionName(ctx));

/**
 * The trigger function's role, written out statement by statement: it reads its queue, writes manifests and
 * starts the one Glue job. Handed to the function without policy updates, so no construct can widen it.
 */
export class TriggerFunctionRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TriggerFunctionRoleProps) {
    super(scope, id);
    const { ctx, key } = props;
    const manifests = s3ObjectsArn(assetsBucketName(ctx), S3_PREFIXES.manifests);

    const statements = [
      new iam.PolicyStatement({ sid: 'WriteManifests', actions: ['s3:PutObject'], resources: [manifests] }),
      new iam.PolicyStatement({
        sid: 'StartFileProcessorRuns',
        actions: ['glue:StartJobRun'],
        resources: [glueArn(ctx, `job/${glueJobName(ctx, DEFAULT_JOB_ID)}`)],
      }),
      // In doubt whether a StartJobRun went through (a timeout), the trigger looks for a run of its manifest.
      new iam.PolicyStatement({
        sid: 'FindInDoubtRuns',
        actions: ['glue:GetJobRuns'],
        resources: [glueArn(ctx, `job/${glueJobName(ctx, DEFAULT_JOB_ID)}`)],
      }),
      // Records received, claimed and started, claims each object version once, and skips what it will not process.
      new iam.PolicyStatement({
        sid: 'RecordFilesInLedger',
        actions: ['dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
        resources: [dynamodbTableArn(ctx, fileLedgerTableName(ctx))],
      }),
      new iam.PolicyStatement({
        sid: 'ConsumeTriggerQueue',
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
        resources: [`arn:${Aws.PARTITION}:sqs:${ctx.region}:${ctx.account}:${triggerQueueName(ctx)}`],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        // Encrypt and DescribeKey for the ledger table, which DynamoDB encrypts with this key for its callers.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey'],
        resources: [key.keyArn],
      }),
    ];

    this.role = createFunctionRole(this, {
      ctx,
      roleName: triggerFunctionRoleName(ctx),
      description: `Trigger function of ${ctx.project} stage ${ctx.stage}: SQS to manifests to Glue runs`,
      policyName: 'Trigger',
      statements,
      logGroupName: triggerLogGroupName(ctx),
      wildcards: [
        {
          resource: manifests,
          reason:
            'The trigger writes one manifest per dataset and invocation with a new key, only under manifests/.',
        },
      ],
    });
  }
}
