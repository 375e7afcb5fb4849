import {
  assetsBucketName,
  inputBucketName,
  NameContext,
  triggerDeadLetterQueueName,
  triggerFunctionName,
  triggerQueueName,
} from '@glue-platform/shared-constructs';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

import {
  DEFAULT_MAX_BYTES_PER_MANIFEST,
  DEFAULT_MAX_OBJECTS_PER_MANIFEST,
  readTriggerConfig,
} from '../lambda/src/trigger-config';
import { DataPlatformStack } from '../lib/data-platform-stack';
import { UploadTrigger, UploadTriggerProps } from '../lib/upload-trigger';

import { buildInfrastructure, logicalIdOf } from './support/infrastructure-app';

let stack: DataPlatformStack;
let template: Template;
let ctx: NameContext;

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  template = built.template('dev');
  ctx = built.ctx('dev');
});

interface ResourceJson {
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}
const resources = (): Record<string, ResourceJson> =>
  template.toJSON().Resources as Record<string, ResourceJson>;
const resourceOf = (construct: { node: { defaultChild?: unknown } }): ResourceJson =>
  resources()[logicalIdOf(stack, construct)];
const keyArn = () => ({ 'Fn::GetAtt': [logicalIdOf(stack, stack.dataKey.key), 'Arn'] });

describe('the queues', () => {
  test('the trigger queue sends a message to the dead-letter queue after five receives', () => {
    expect(resourceOf(stack.trigger.queue).Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  test('the visibility timeout is at least six times the function timeout', () => {
    const visibility = resourceOf(stack.trigger.queue).Properties.VisibilityTimeout as number;
    const timeout = resourceOf(stack.trigger.function).Properties.Timeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  test('both queues are named by the naming module and encrypted with the stage key', () => {
    for (const [queue, name] of [
      [stack.trigger.queue, triggerQueueName(ctx)],
      [stack.trigger.deadLetterQueue, triggerDeadLetterQueueName(ctx)],
    ] as const) {
      expect(resourceOf(queue).Properties).toMatchObject({ QueueName: name, KmsMasterKeyId: keyArn() });
    }
  });

  test('both queues refuse requests without TLS', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  test('only the input bucket of this account may send to the trigger queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'InputBucketSendsUploadEvents',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.queue), 'Arn'] },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${inputBucketName(ctx)}`]],
                },
              },
              StringEquals: { 'aws:SourceAccount': '222222222222' },
            },
          },
        ]),
      },
    });
  });
});

describe('the upload notification', () => {
  test('every upload under incoming/, whatever its suffix (x.Csv, x.csv.gz), is sent to the trigger queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.queue), 'Arn'] };
    expect(resourceOf(stack.buckets.input).Properties.NotificationConfiguration).toEqual({
      QueueConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Queue: queueArn,
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } },
        },
      ],
    });
  });

  test('the input bucket is created after the queue policy that admits it', () => {
    const queuePolicyId = Object.keys(template.findResources('AWS::SQS::QueuePolicy')).find((id) =>
      JSON.stringify(resources()[id]).includes('InputBucketSendsUploadEvents'),
    );
    expect(queuePolicyId).toBeDefined();
    expect(resourceOf(stack.buckets.input).DependsOn).toContain(queuePolicyId);
  });

  test('the notification needs no custom resource', () => {
    expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toEqual([]);
  });

  test('the other buckets send no notifications', () => {
    for (const bucket of [stack.buckets.output, stack.buckets.assets, stack.buckets.accessLogs]) {
      expect(resourceOf(bucket).Properties.NotificationConfiguration).toBeUndefined();
    }
  });
});

describe('the trigger function', () => {
  test('runs on the latest Node.js runtime cdk-nag accepts, on ARM64, under its stage name', () => {
    expect(resourceOf(stack.trigger.function).Properties).toMatchObject({
      FunctionName: triggerFunctionName(ctx),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
  });

  test('gets the assets bucket, the job name, the ledger, the manifest caps and the Powertools settings from its environment', () => {
    expect(resourceOf(stack.trigger.function).Properties.Environment).toEqual({
      Variables: {
        ASSETS_BUCKET_NAME: assetsBucketName(ctx),
        GLUE_JOB_NAME: 'glue-etl-dev-file-processor',
        LEDGER_TABLE_NAME: 'glue-etl-dev-file-ledger',
        LEDGER_RETENTION_DAYS: '400',
        FILE_METRICS_NAMESPACE: 'glue-etl/dev/files',
        POWERTOOLS_SERVICE_NAME: 'upload-trigger',
        POWERTOOLS_METRICS_NAMESPACE: 'glue-etl/dev/trigger',
        MAX_OBJECTS_PER_MANIFEST: '1000',
        MAX_BYTES_PER_MANIFEST: '21474836480',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  test('logs to its own encrypted log group with a retention', () => {
    expect(resourceOf(stack.trigger.logGroup).Properties).toMatchObject({
      LogGroupName: `/aws/lambda/${triggerFunctionName(ctx)}`,
      RetentionInDays: 30,
      KmsKeyId: keyArn(),
    });
    expect(resourceOf(stack.trigger.function).Properties.LoggingConfig).toMatchObject({
      LogGroup: { Ref: logicalIdOf(stack, stack.trigger.logGroup) },
    });
  });

  test('reads the queue in batches of up to 5000 gathered for up to 60 seconds and reports failed items', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.queue), 'Arn'] },
      BatchSize: 5000,
      MaximumBatchingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('the manifest caps', () => {
  /** An UploadTrigger alone in a stack, with the given props. */
  const triggerWith = (props: Partial<UploadTriggerProps>): Template => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const alone = new Stack(app, 'Alone', { env: { account: ctx.account, region: ctx.region } });
    new UploadTrigger(alone, 'UploadTrigger', {
      ctx,
      key: new kms.Key(alone, 'Key'),
      inputBucket: new s3.Bucket(alone, 'Input'),
      alarmTopic: new sns.Topic(alone, 'Alarms'),
      role: new iam.Role(alone, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }),
      retainData: false,
      ledgerRetentionDays: 400,
      ...props,
    });
    return Template.fromStack(alone);
  };
  const capsOf = (built: Template): unknown => {
    const [fn] = Object.values(built.findResources('AWS::Lambda::Function'));
    const variables = (fn?.Properties as { Environment: { Variables: Record<string, string> } }).Environment
      .Variables;
    return [variables.MAX_OBJECTS_PER_MANIFEST, variables.MAX_BYTES_PER_MANIFEST];
  };

  test('left out, the caps are the trigger defaults: 1000 objects and 20 GiB', () => {
    expect(capsOf(triggerWith({}))).toEqual([
      String(DEFAULT_MAX_OBJECTS_PER_MANIFEST),
      String(DEFAULT_MAX_BYTES_PER_MANIFEST),
    ]);
    expect(DEFAULT_MAX_BYTES_PER_MANIFEST).toBe(20 * 1024 ** 3);
  });

  test('a stage whose job has more workers can raise both caps', () => {
    expect(
      capsOf(triggerWith({ maxObjectsPerManifest: 5000, maxBytesPerManifest: 100 * 1024 ** 3 })),
    ).toEqual(['5000', '107374182400']);
  });

  test.each([
    ['maxBytesPerManifest', 0],
    ['maxBytesPerManifest', 1.5],
    ['maxBytesPerManifest', Number.POSITIVE_INFINITY],
    ['maxObjectsPerManifest', -1],
  ])('a %s of %s fails the synth naming the prop and what is expected', (prop, value) => {
    expect(() => triggerWith({ [prop]: value })).toThrow(
      `Alone/UploadTrigger: ${prop} is ${value}; expected a whole number of at least 1`,
    );
  });

  test('the caps the stack passes are ones the function accepts at cold start', () => {
    const variables = resourceOf(stack.trigger.function).Properties.Environment as {
      Variables: Record<string, string>;
    };
    expect(readTriggerConfig(variables.Variables)).toMatchObject({
      maxObjectsPerManifest: DEFAULT_MAX_OBJECTS_PER_MANIFEST,
      maxBytesPerManifest: DEFAULT_MAX_BYTES_PER_MANIFEST,
    });
  });
});

describe('alarms', () => {
  const alarmActions = () => [{ Ref: logicalIdOf(stack, stack.alarmTopic.topic) }];

  test('a message in the dead-letter queue raises an alarm to the topic', () => {
    expect(resourceOf(stack.trigger.deadLetterAlarm).Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(stack, stack.trigger.deadLetterQueue), 'QueueName'] },
        },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: alarmActions(),
    });
  });

  test('an error of the trigger function raises an alarm to the topic', () => {
    expect(resourceOf(stack.trigger.errorAlarm).Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack, stack.trigger.function) } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: alarmActions(),
    });
  });

  test('a run of a job of this stage that ends FAILED, TIMEOUT, STOPPED or ERROR is announced on the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.glue'],
        'detail-type': ['Glue Job State Change'],
        detail: { jobName: [{ prefix: 'glue-etl-dev-' }], state: ['FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: logicalIdOf(stack, stack.alarmTopic.topic) } })],
    });
  });
});
