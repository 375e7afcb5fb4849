import {
  accessLogsBucketName,
  assetsBucketName,
  inputBucketName,
  NameContext,
  outputBucketName,
} from '@glue-platform/shared-constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';

import { BuiltInfrastructure, buildInfrastructure } from './support/infrastructure-app';

interface BucketJson {
  readonly DeletionPolicy?: string;
  readonly Properties: Record<string, unknown> & { BucketName: string };
}

let built: BuiltInfrastructure;
let dev: Template;
let devCtx: NameContext;

beforeAll(() => {
  built = buildInfrastructure();
  dev = built.template('dev');
  devCtx = built.ctx('dev');
});

const bucketsOf = (template: Template): BucketJson[] =>
  Object.values(template.findResources('AWS::S3::Bucket')) as BucketJson[];
const bucketNamed = (template: Template, name: string): BucketJson => {
  const bucket = bucketsOf(template).find((b) => b.Properties.BucketName === name);
  if (!bucket) throw new Error(`no bucket ${name}`);
  return bucket;
};
const dataBucketNames = (ctx: NameContext) => [
  inputBucketName(ctx),
  outputBucketName(ctx),
  assetsBucketName(ctx),
];

test('the stage has exactly the input, output, assets and access-log buckets, named by the naming module', () => {
  expect(
    bucketsOf(dev)
      .map((b) => b.Properties.BucketName)
      .sort(),
  ).toEqual([...dataBucketNames(devCtx), accessLogsBucketName(devCtx)].sort());
});

test('the data buckets are encrypted with the stage key', () => {
  const keyId = built.stack('dev').getLogicalId(built.stack('dev').dataKey.key.node.defaultChild as never);
  for (const name of dataBucketNames(devCtx)) {
    expect(bucketNamed(dev, name).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
          },
        },
      ],
    });
  }
});

test('the access-log bucket is encrypted with S3-managed keys, as log delivery requires', () => {
  expect(bucketNamed(dev, accessLogsBucketName(devCtx)).Properties.BucketEncryption).toEqual({
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
  });
});

test('every bucket is versioned', () => {
  for (const bucket of bucketsOf(dev))
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
});

test('every bucket blocks all public access', () => {
  for (const bucket of bucketsOf(dev)) {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  }
});

test('every bucket policy denies requests without TLS', () => {
  expect(Object.keys(dev.findResources('AWS::S3::BucketPolicy'))).toHaveLength(4);
  dev.resourcePropertiesCountIs(
    'AWS::S3::BucketPolicy',
    {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    },
    4,
  );
});

test('the data buckets log server access to the access-log bucket, each under its own prefix', () => {
  const logBucketId = built
    .stack('dev')
    .getLogicalId(built.stack('dev').buckets.accessLogs.node.defaultChild as never);
  for (const name of dataBucketNames(devCtx)) {
    expect(bucketNamed(dev, name).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: `${name}/`,
    });
  }
});

test('the access-log bucket admits S3 log delivery from the data buckets of this account only', () => {
  dev.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '222222222222' } }),
        }),
      ]),
    },
  });
});

test('landing data under incoming/ expires', () => {
  dev.hasResourceProperties('AWS::S3::Bucket', {
    BucketName: inputBucketName(devCtx),
    LifecycleConfiguration: {
      Rules: Match.arrayWith([
        Match.objectLike({ Prefix: 'incoming/', ExpirationInDays: 30, Status: 'Enabled' }),
      ]),
    },
  });
});

test('every bucket expires noncurrent versions and aborts incomplete multipart uploads', () => {
  dev.resourcePropertiesCountIs(
    'AWS::S3::Bucket',
    {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          }),
        ]),
      },
    },
    4,
  );
});

test('Glue temporary files expire after a week', () => {
  dev.hasResourceProperties('AWS::S3::Bucket', {
    BucketName: assetsBucketName(devCtx),
    LifecycleConfiguration: {
      Rules: Match.arrayWith([Match.objectLike({ Prefix: 'glue-temp/', ExpirationInDays: 7 })]),
    },
  });
});

test('reconciliation reports expire after 90 days; run reports are kept', () => {
  const [assets] = Object.values(
    dev.findResources('AWS::S3::Bucket', { Properties: { BucketName: assetsBucketName(devCtx) } }),
  );
  const rules = (assets.Properties as { LifecycleConfiguration: { Rules: { Prefix?: string }[] } })
    .LifecycleConfiguration.Rules;
  expect(rules.filter((r) => r.Prefix?.startsWith('reports/'))).toEqual([
    expect.objectContaining({ Prefix: 'reports/reconciliation/', ExpirationInDays: 90, Status: 'Enabled' }),
  ]);
});

describe('retention per stage', () => {
  test('a stage without retainData deletes its buckets and their objects with the stack', () => {
    for (const bucket of bucketsOf(dev)) expect(bucket.DeletionPolicy).toBe('Delete');
    expect(Object.keys(dev.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(4);
  });

  test('a stage with retainData keeps its buckets and does not empty them', () => {
    const prod = built.template('prod');
    const buckets = bucketsOf(prod);
    expect(buckets).toHaveLength(4);
    for (const bucket of buckets) expect(bucket.DeletionPolicy).toBe('Retain');
    expect(Object.keys(prod.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(0);
  });
});
