import { alarmTopicName, NameContext, stageRuleNamePrefix } from '@glue-platform/shared-constructs';
import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

import { alarmArnPattern } from './data-key';

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
  readonly ctx: NameContext;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { ctx } = props;
    this.ctx = ctx;
    this.key = props.key;
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
          ArnLike: { 'aws:SourceArn': alarmArnPattern(ctx) },
          StringEquals: { 'aws:SourceAccount': ctx.account },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}

/**
 * An EventBridge rule target that publishes to the alarm topic and lets exactly that rule do so. CDK's
 * `targets.SnsTopic` grants `events.amazonaws.com` on the topic and the key with no condition, so any rule of
 * any account could publish; this target names the rule (`aws:SourceArn`) and the account in the topic policy,
 * and the stage's rules and account in the key policy. Rules using it must be named with `stageRuleNamePrefix`.
 */
export class AlarmTopicRuleTarget implements events.IRuleTarget {
  constructor(
    private readonly alarmTopic: AlarmTopic,
    private readonly message?: events.RuleTargetInput,
  ) {}

  bind(rule: events.IRule): events.RuleTargetConfig {
    const { topic, key, ctx } = this.alarmTopic;
    const principal = new iam.ServicePrincipal('events.amazonaws.com');
    const conditions = {
      ArnEquals: { 'aws:SourceArn': rule.ruleArn },
      StringEquals: { 'aws:SourceAccount': ctx.account },
    };
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `Rule${rule.node.addr.slice(0, 8)}Publishes`,
        principals: [principal],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions,
      }),
    );
    // The key policy is part of the key, which the topic and so the rule depend on: it cannot name the rule's
    // ARN without a cycle, so it admits the rules named with the stage's prefix.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'StageRulesEncryptForAlarmTopic',
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:events:${ctx.region}:${ctx.account}:rule/${stageRuleNamePrefix(ctx)}*`,
          },
          StringEquals: { 'aws:SourceAccount': ctx.account },
        },
      }),
    );
    return { arn: topic.topicArn, input: this.message, targetResource: topic };
  }
}
