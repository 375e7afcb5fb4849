import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface PipelineFailureNotificationProps {
  /** The pipeline whose failed executions are announced. */
  readonly pipeline: codepipeline.IPipeline;
  /** Subscribed by e-mail (the address must confirm). @default no subscription */
  readonly email?: string;
}

/**
 * A CodeStar Notifications rule on "pipeline execution failed" to an SNS topic encrypted with its own key
 * (AWS-managed SNS keys cannot be used by CodeStar Notifications).
 */
export class PipelineFailureNotification extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: PipelineFailureNotificationProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts pipeline failure notifications',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CodeStarNotificationsPublishesToEncryptedTopic',
        principals: [new iam.ServicePrincipal('codestar-notifications.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    props.pipeline.notifyOn('ExecutionFailed', this.topic, {
      events: [codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED],
    });
  }
}
