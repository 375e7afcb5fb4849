import { alarmTopicName, NameContext } from '@glue-platform/shared-constructs';
import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** Encrypts the messages at rest. */
  readonly key: kms.IKey;
  /** Subscribed by e-mail (the address must confirm). @default no subscription */
  readonly email?: string;
}

/** Where the stage's alarms and failed Glue runs are announced: KMS-encrypted, TLS-only. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { ctx } = props;
    this.topic = new sns.Topic(this, 'Resource', {
      topicName: alarmTopicName(ctx),
      displayName: `${ctx.project} ${ctx.stage} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so CloudWatch alarms of this account need their own statement.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${ctx.region}:${ctx.account}:alarm:*`,
          },
          StringEquals: { 'aws:SourceAccount': ctx.account },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
