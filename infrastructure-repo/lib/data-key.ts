import { dataKeyAlias, NameContext } from '@glue-platform/shared-constructs';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { GLUE_LOG_GROUP_PATTERN, logGroupArn } from './private/arns';

export interface DataKeyProps {
  /** Names of the stage the key belongs to. */
  readonly ctx: NameContext;
  /** Log groups (names, `*` allowed) that CloudWatch Logs may encrypt with the key, besides Glue's. @default none */
  readonly extraLogGroupNames?: string[];
  /** RETAIN keeps the key (and so the data it protects) readable after the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/** Usage actions a service needs to write or read envelope-encrypted data; no admin actions. */
const ENVELOPE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

/**
 * The stage's customer-managed key (rotation on) for the data buckets, the trigger queues, the alarm topic and
 * Glue's logs and bookmarks. Its policy lets the AWS services that deliver into those resources use it.
 */
export class DataKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: DataKeyProps) {
    super(scope, id);
    const { ctx } = props;
    this.key = new kms.Key(this, 'Resource', {
      alias: dataKeyAlias(ctx),
      description: `Data key of ${ctx.project} stage ${ctx.stage}: buckets, queues, alarms, Glue logs and bookmarks`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    const logGroups = [GLUE_LOG_GROUP_PATTERN, ...(props.extraLogGroupNames ?? [])];
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsGlueAndTriggerLogs',
        principals: [new iam.ServicePrincipal(`logs.${ctx.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroups.map((name) => logGroupArn(ctx, name)) },
        },
      }),
    );
    // S3 sends to the encrypted queue and CloudWatch alarms publish to the encrypted topic (CDK adds EventBridge's
    // statement with the rule's target). The queue and topic policies decide which sources may send.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ServicesDeliverToEncryptedQueueAndTopic',
        principals: ['s3.amazonaws.com', 'cloudwatch.amazonaws.com'].map(
          (service) => new iam.ServicePrincipal(service),
        ),
        actions: ENVELOPE_ACTIONS,
        resources: ['*'],
      }),
    );
  }
}
