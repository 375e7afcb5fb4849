import {
  alarmTopicName,
  dataKeyAlias,
  glueDatabaseName,
  glueSecurityConfigurationName,
  stageStackName,
} from '@glue-platform/shared-constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';

import {
  BuiltInfrastructure,
  buildInfrastructure,
  DEFAULT_CONFIG,
  logicalIdOf,
} from './support/infrastructure-app';

let built: BuiltInfrastructure;
let dev: Template;

beforeAll(() => {
  built = buildInfrastructure({ ...DEFAULT_CONFIG, notificationEmail: 'data-team@example.com' });
  dev = built.template('dev');
});

describe('the stack', () => {
  test('each stage stack is named by the naming module and deployed to its stage account and region', () => {
    for (const stage of built.config.stages) {
      const stack = built.stack(stage.name);
      expect(stack.stackName).toBe(stageStackName(built.ctx(stage.name), 'infrastructure'));
      expect([stack.account, stack.region]).toEqual([stage.account, stage.region]);
    }
  });

  test('a stage that retains data has termination protection', () => {
    expect(built.stack('prod').terminationProtection).toBe(true);
  });

  test('a stage that does not retain data has no termination protection', () => {
    expect(built.stack('dev').terminationProtection).toBe(false);
  });
});

describe('the data key', () => {
  test('rotates and carries the stage alias', () => {
    dev.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.hasResourceProperties('AWS::KMS::Alias', { AliasName: dataKeyAlias(built.ctx('dev')) });
  });

  test('is deleted with a stage that does not retain data and kept by one that does', () => {
    expect(Object.values(dev.findResources('AWS::KMS::Key'))[0].DeletionPolicy).toBe('Delete');
    expect(Object.values(built.template('prod').findResources('AWS::KMS::Key'))[0].DeletionPolicy).toBe(
      'Retain',
    );
  });

  test('lets CloudWatch Logs encrypt only the Glue log groups and the trigger and reconciliation log groups', () => {
    dev.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': [
                  Match.objectLike({
                    'Fn::Join': ['', Match.arrayWith([':logs:eu-west-1:222222222222:log-group:/aws-glue/*'])],
                  }),
                  Match.objectLike({
                    'Fn::Join': [
                      '',
                      Match.arrayWith([
                        ':logs:eu-west-1:222222222222:log-group:/aws/lambda/glue-etl-dev-trigger',
                      ]),
                    ],
                  }),
                  Match.objectLike({
                    'Fn::Join': [
                      '',
                      Match.arrayWith([
                        ':logs:eu-west-1:222222222222:log-group:/aws/lambda/glue-etl-dev-reconciliation',
                      ]),
                    ],
                  }),
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  test('lets S3, CloudWatch alarms and EventBridge deliver to the encrypted queue and topic', () => {
    const [key] = Object.values(dev.findResources('AWS::KMS::Key'));
    const statements = (
      key.Properties as {
        KeyPolicy: { Statement: { Principal: { Service?: string | string[] }; Action: string | string[] }[] };
      }
    ).KeyPolicy.Statement;
    for (const service of ['s3.amazonaws.com', 'cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      const granted = statements.filter((s) =>
        ([] as string[]).concat(s.Principal.Service ?? []).includes(service),
      );
      const actions = granted.flatMap((s) => ([] as string[]).concat(s.Action));
      expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt']));
      expect(actions.some((a) => a.startsWith('kms:GenerateDataKey'))).toBe(true);
    }
  });
});

describe('the Glue catalog', () => {
  test('the database is named by the naming module', () => {
    dev.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: glueDatabaseName(built.ctx('dev')) },
    });
  });

  test('the security configuration encrypts S3, CloudWatch logs and job bookmarks with the stage key', () => {
    const keyArn = { 'Fn::GetAtt': [logicalIdOf(built.stack('dev'), built.stack('dev').dataKey.key), 'Arn'] };
    dev.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      Name: glueSecurityConfigurationName(built.ctx('dev')),
      EncryptionConfiguration: {
        S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn }],
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: keyArn },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: keyArn },
      },
    });
  });
});

describe('the alarm topic', () => {
  test('is named by the naming module and encrypted with the stage key', () => {
    dev.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: alarmTopicName(built.ctx('dev')),
      KmsMasterKeyId: {
        'Fn::GetAtt': [logicalIdOf(built.stack('dev'), built.stack('dev').dataKey.key), 'Arn'],
      },
    });
  });

  test('refuses publishing without TLS', () => {
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('admits CloudWatch alarms of its own account', () => {
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '222222222222' } }),
          }),
        ]),
      },
    });
  });

  test('mails the configured notification address', () => {
    dev.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'data-team@example.com',
    });
  });
});

describe('the operator role', () => {
  test('every stage has one, named for the CLI and trusted by roles of its own account only', () => {
    for (const stage of built.config.stages) {
      const template = built.template(stage.name);
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: `glue-etl-${stage.name}-operator`,
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { AWS: `arn:aws:iam::${stage.account}:root` },
              Condition: { ArnLike: { 'aws:PrincipalArn': [Match.objectLike({})] } },
            }),
          ],
        },
      });
    }
  });
});
