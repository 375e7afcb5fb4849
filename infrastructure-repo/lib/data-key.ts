import {
  dataKeyAlias,
  inputBucketName,
  MANAGED_KEY_TAG,
  NameContext,
} from '@glue-platform/shared-constructs';
import { Aws, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { GLUE_LOG_GROUP_PATTERN, logGroupArn, s3BucketArn } from './private/arns';

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
    const thisAccount = { 'aws:SourceAccount': ctx.account };
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
          StringEquals: thisAccount,
        },
      }),
    );
    // Each service that delivers into an encrypted queue or topic of the stage may use the key only on behalf of
    // this account's source (confused-deputy protection): S3 for the input bucket's notifications, CloudWatch for
    // the stage's alarms. The queue and topic policies then decide which sources may send; EventBridge's statement
    // comes with the alarm topic's rule target (AlarmTopicRuleTarget).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'InputBucketNotifiesEncryptedQueue',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ENVELOPE_ACTIONS,
        resources: ['*'],
        conditions: {
          ArnEquals: { 'aws:SourceArn': s3BucketArn(inputBucketName(ctx)) },
          StringEquals: thisAccount,
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ENVELOPE_ACTIONS,
        resources: ['*'],
        conditions: { ArnLike: { 'aws:SourceArn': alarmArnPattern(ctx) }, StringEquals: thisAccount },
      }),
    );
    // The execution policy of the stage bootstrap manages only keys carrying this tag (docs/bootstrap.md).
    Tags.of(this.key).add(MANAGED_KEY_TAG, ctx.project);
  }
}

/** Every CloudWatch alarm of the stage's account and region. */
export const alarmArnPattern = (ctx: NameContext): string =>
  `arn:${Aws.PARTITION}:cloudwatch:${ctx.region}:${ctx.account}:alarm:*`;
