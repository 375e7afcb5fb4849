import { createPlatformApp, nagResourceText, NameContext } from '@glue-platform/shared-constructs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';

import { OperatorRole, OperatorRoleProps } from '../lib/roles/operator-role';

const ctx: NameContext = { project: 'glue-etl', stage: 'dev', account: '222222222222', region: 'eu-west-1' };
const INPUT = 'glue-etl-dev-input-222222222222-eu-west-1';
const ASSETS = 'glue-etl-dev-assets-222222222222-eu-west-1';
const OUTPUT = 'glue-etl-dev-output-222222222222-eu-west-1';
const TABLE = 'arn:aws:dynamodb:eu-west-1:222222222222:table/glue-etl-dev-file-ledger';
const QUEUE = 'arn:aws:sqs:eu-west-1:222222222222:glue-etl-dev-trigger';
const DLQ = 'arn:aws:sqs:eu-west-1:222222222222:glue-etl-dev-trigger-dlq';
const KEY = 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-0000-0000-000000000000';

interface Built {
  readonly stack: Stack;
  readonly role: Record<string, unknown> & { Properties: Record<string, unknown> };
}

/** The role in a stack of its own, on the stage's resources as the data platform stack names them. */
function build(overrides: Partial<OperatorRoleProps> = {}): Built {
  const app = createPlatformApp();
  const stack = new Stack(app, 'OperatorRoleTest', { env: { account: ctx.account, region: ctx.region } });
  new OperatorRole(stack, 'Operator', {
    ctx,
    buckets: {
      input: s3.Bucket.fromBucketName(stack, 'Input', INPUT),
      assets: s3.Bucket.fromBucketName(stack, 'Assets', ASSETS),
      output: s3.Bucket.fromBucketName(stack, 'Output', OUTPUT),
    },
    queue: sqs.Queue.fromQueueArn(stack, 'Queue', QUEUE),
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Dlq', DLQ),
    ledgerTable: dynamodb.TableV2.fromTableArn(stack, 'Ledger', TABLE),
    key: kms.Key.fromKeyArn(stack, 'Key', KEY),
    jobName: 'glue-etl-dev-file-processor',
    ...overrides,
  });
  const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return { stack, role: roles[0] as Built['role'] };
}

const flat = (stack: Stack, value: unknown): unknown => {
  if (Array.isArray(value)) return value.map((v) => flat(stack, v));
  if (value !== null && typeof value === 'object') {
    if (Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::')))
      return nagResourceText(stack, value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flat(stack, v)]));
  }
  return value;
};

const statementsOf = (built: Built): Record<string, unknown>[] => {
  const policies = built.role.Properties.Policies as {
    PolicyDocument: { Statement: Record<string, unknown>[] };
  }[];
  return flat(
    built.stack,
    policies.flatMap((p) => p.PolicyDocument.Statement),
  ) as Record<string, unknown>[];
};
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

test('is named for the stage', () => {
  expect(build().role.Properties.RoleName).toBe('glue-etl-dev-operator');
});

test('by default trusts the roles of the stage account only (no IAM user, no other account)', () => {
  const built = build();
  expect(flat(built.stack, built.role.Properties.AssumeRolePolicyDocument)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:<AWS::Partition>:iam::222222222222:role/*'] } },
      },
    ],
  });
});

test('trusts exactly the principals it is given', () => {
  const sso =
    'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DataOps_*';
  const built = build({ trustedPrincipalArns: [sso] });
  const [statement] = (
    flat(built.stack, built.role.Properties.AssumeRolePolicyDocument) as { Statement: unknown[] }
  ).Statement;
  expect(statement).toMatchObject({ Condition: { ArnLike: { 'aws:PrincipalArn': [sso] } } });
});

test.each([
  [
    ['arn:aws:iam::333333333333:role/DataOps'],
    /has "arn:aws:iam::333333333333:role\/DataOps"; expected an IAM role or user ARN \(pattern\) of the stage's account 222222222222/,
  ],
  [['DataOps'], /has "DataOps"; expected an IAM role or user ARN/],
  [[], /trustedPrincipalArns is empty/],
])('refuses trusted principals %j', (arns, message) => {
  expect(() => build({ trustedPrincipalArns: arns })).toThrow(message);
});

test('grants exactly what the CLI calls, on the stage resources, and nothing that deletes data', () => {
  const statements = statementsOf(build());
  const bySid: Record<string, Record<string, unknown>> = Object.fromEntries(
    statements.map((s) => [
      String(s.Sid),
      { ...s, Action: asList(s.Action).sort(), Resource: asList(s.Resource) },
    ]),
  );
  const glue = (r: string) => `arn:<AWS::Partition>:glue:eu-west-1:222222222222:${r}`;
  const objects = (bucket: string, prefix: string) => `arn:aws:s3:::${bucket}/${prefix}`;
  expect(Object.keys(bySid).sort()).toEqual(
    [
      'ClaimInputObjects',
      'FollowAndStartRuns',
      'ListAthenaResults',
      'LocateAthenaResults',
      'QueryQuarantineTables',
      'ReadAndEmptyDeadLetterQueue',
      'ReadLedger',
      'ReadQuarantine',
      'ReadQuarantineCatalog',
      'ReadRunReports',
      'RedriveToTriggerQueue',
      'UploadAndReadIncoming',
      'UseDataKey',
      'WriteAthenaResults',
      'WriteManifests',
    ].sort(),
  );
  expect(bySid.ReadLedger).toMatchObject({
    Action: ['dynamodb:GetItem', 'dynamodb:Query'],
    Resource: [TABLE, `${TABLE}/index/by-dataset`],
  });
  expect(bySid.ClaimInputObjects).toMatchObject({
    Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
    Resource: [TABLE],
    Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${INPUT}/incoming/*`] } },
  });
  expect(bySid.UploadAndReadIncoming).toMatchObject({
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: [objects(INPUT, 'incoming/*')],
  });
  expect(bySid.ReadRunReports).toMatchObject({
    Action: ['s3:GetObject'],
    Resource: [objects(ASSETS, 'reports/*')],
  });
  expect(bySid.WriteManifests).toMatchObject({
    Action: ['s3:PutObject'],
    Resource: [objects(ASSETS, 'manifests/*')],
  });
  expect(bySid.ReadQuarantine).toMatchObject({
    Action: ['s3:GetObject'],
    Resource: [objects(OUTPUT, 'glue_etl_dev.db/*__quarantine/*'), objects(OUTPUT, 'quarantine/*')],
  });
  expect(bySid.WriteAthenaResults).toMatchObject({ Resource: [objects(ASSETS, 'athena-results/*')] });
  expect(bySid.LocateAthenaResults).toEqual({
    Sid: 'LocateAthenaResults',
    Effect: 'Allow',
    Action: ['s3:GetBucketLocation'],
    Resource: [`arn:aws:s3:::${ASSETS}`],
  });
  expect(bySid.ListAthenaResults).toMatchObject({
    Action: ['s3:ListBucket'],
    Resource: [`arn:aws:s3:::${ASSETS}`],
    Condition: { StringLike: { 's3:prefix': ['athena-results/*'] } },
  });
  expect(bySid.QueryQuarantineTables).toMatchObject({
    Resource: ['arn:<AWS::Partition>:athena:eu-west-1:222222222222:workgroup/primary'],
  });
  expect(bySid.ReadQuarantineCatalog).toMatchObject({
    Action: ['glue:GetDatabase', 'glue:GetTable'],
    Resource: [glue('catalog'), glue('database/glue_etl_dev'), glue('table/glue_etl_dev/*__quarantine')],
  });
  expect(bySid.FollowAndStartRuns).toMatchObject({
    Action: ['glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun'],
    Resource: [glue('job/glue-etl-dev-file-processor')],
  });
  expect(bySid.ReadAndEmptyDeadLetterQueue).toMatchObject({ Resource: [DLQ] });
  expect(bySid.RedriveToTriggerQueue).toMatchObject({
    Action: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
    Resource: [QUEUE],
  });
  expect(bySid.UseDataKey).toMatchObject({ Resource: [KEY] });

  const actions = statements.flatMap((s) => asList(s.Action) as string[]);
  expect(
    actions.filter((a) => /Delete(Object|Table|Bucket|Database)|UpdateTable|PutBucket|\*/.test(a)),
  ).toEqual([]);
});

test('the workgroup is configurable', () => {
  const statements = statementsOf(build({ athenaWorkgroup: 'operators' }));
  expect(statements.find((s) => s.Sid === 'QueryQuarantineTables')?.Resource).toBe(
    'arn:<AWS::Partition>:athena:eu-west-1:222222222222:workgroup/operators',
  );
});

test('cdk-nag finds nothing unacknowledged', () => {
  const { stack } = build();
  expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
});
