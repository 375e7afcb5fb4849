import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

import { knownWildcardFindings, nagResourceText } from '../src';

const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
const document = (statements: Record<string, unknown>[]) => ({
  Version: '2012-10-17',
  Statement: statements,
});
const ARTIFACTS = { 'Fn::GetAtt': ['PipelineArtifactsBucketAEA9A052', 'Arn'] };

describe('knownWildcardFindings', () => {
  test('a read grant on the artifact bucket is a known finding', () => {
    const findings = knownWildcardFindings(
      stack,
      document([
        {
          Effect: 'Allow',
          Action: ['s3:GetObject*', 's3:List*'],
          Resource: [ARTIFACTS, { 'Fn::Join': ['', [ARTIFACTS, '/*']] }],
        },
      ]),
    );
    expect([...findings.keys()].sort()).toEqual([
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Resource::<PipelineArtifactsBucketAEA9A052.Arn>/*]',
    ]);
  });

  test('the same actions on any other bucket are not known', () => {
    const findings = knownWildcardFindings(
      stack,
      document([
        { Effect: 'Allow', Action: ['s3:GetObject*'], Resource: ['arn:aws:s3:::someone-elses-bucket/*'] },
      ]),
    );
    expect(findings.size).toBe(0);
  });

  test('a resource wildcard with a write action the rule does not list is not known', () => {
    const findings = knownWildcardFindings(
      stack,
      document([
        { Effect: 'Allow', Action: ['cloudformation:DescribeStacks', 's3:DeleteBucket'], Resource: '*' },
      ]),
    );
    expect(findings.size).toBe(0);
  });

  test('an action wildcard of a whole service is never known', () => {
    const findings = knownWildcardFindings(
      stack,
      document([{ Effect: 'Allow', Action: 's3:*', Resource: ARTIFACTS }]),
    );
    expect(findings.size).toBe(0);
  });

  test('deny statements are ignored', () => {
    const findings = knownWildcardFindings(
      stack,
      document([{ Effect: 'Deny', Action: 's3:List*', Resource: ARTIFACTS }]),
    );
    expect(findings.size).toBe(0);
  });
});

describe('nagResourceText', () => {
  test('writes references the way cdk-nag prints them in finding ids', () => {
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    const text = nagResourceText(stack, `arn:${stack.partition}:s3:::bucket/${role.roleName}/*`);
    expect(text).toMatch(/^arn:<AWS::Partition>:s3:::bucket\/<Role[A-F0-9]{8}>\/\*$/);
  });
});
