import {
  assetsBucketName,
  exportCheckRoleName,
  GLUE_CATALOG_ACTIONS,
  glueDatabaseName,
  glueJobRoleName,
  inputBucketName,
  NameContext,
  outputBucketName,
  reconciliationRoleName,
  smokeTestRoleName,
  triggerFunctionRoleName,
} from '@glue-platform/shared-constructs';

import { DataPlatformStack } from '../lib/data-platform-stack';

import {
  buildInfrastructure,
  flatStatements,
  FlatStatement,
  flattenDeep,
  logicalIdOf,
  THREE_STAGE_CONFIG,
} from './support/infrastructure-app';

interface RoleJson {
  readonly Properties: {
    readonly RoleName: string;
    readonly AssumeRolePolicyDocument: { readonly Statement: Record<string, unknown>[] };
    readonly Policies?: { readonly PolicyDocument: { readonly Statement: Record<string, unknown>[] } }[];
    readonly ManagedPolicyArns?: unknown[];
  };
}

let stack: DataPlatformStack;
let ctx: NameContext;
let roles: RoleJson[];
let policies: Record<string, { Properties: { Roles?: unknown[] } }>;

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  ctx = built.ctx('dev');
  const template = built.template('dev');
  roles = Object.values(template.findResources('AWS::IAM::Role')) as RoleJson[];
  policies = template.findResources('AWS::IAM::Policy') as typeof policies;
});

const roleNamed = (name: string): RoleJson => {
  const role = roles.find((r) => r.Properties.RoleName === name);
  if (!role) throw new Error(`no role named ${name}`);
  return role;
};
const statementsOf = (name: string): FlatStatement[] =>
  flatStatements(
    stack,
    roleNamed(name).Properties.Policies?.flatMap((p) => p.PolicyDocument.Statement) ?? [],
  );
const trustOf = (name: string): unknown =>
  flattenDeep(stack, roleNamed(name).Properties.AssumeRolePolicyDocument.Statement);

const s3 = (bucket: string, suffix = ''): string => `arn:<AWS::Partition>:s3:::${bucket}${suffix}`;
const glue = (resource: string): string => `arn:<AWS::Partition>:glue:eu-west-1:222222222222:${resource}`;
const ledgerArn = 'arn:<AWS::Partition>:dynamodb:eu-west-1:222222222222:table/glue-etl-dev-file-ledger';
const keyArn = (): string => `<${logicalIdOf(stack, stack.dataKey.key)}.Arn>`;
const allow = (Sid: string, Action: string[], Resource: string[], Condition?: unknown): FlatStatement => ({
  Sid,
  Effect: 'Allow',
  Action: [...Action].sort(),
  Resource,
  ...(Condition ? { Condition } : {}),
});

describe('the Glue job role', () => {
  test('only the Glue service can assume it', () => {
    expect(trustOf(glueJobRoleName(ctx))).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'glue.amazonaws.com' } },
    ]);
  });

  test('its statements are exactly the buckets, prefixes, database, logs, key and metrics the job needs', () => {
    const input = inputBucketName(ctx);
    const output = outputBucketName(ctx);
    const assets = assetsBucketName(ctx);
    const db = glueDatabaseName(ctx);
    expect(statementsOf(glueJobRoleName(ctx))).toEqual([
      allow('ReadLandingFiles', ['s3:GetObject', 's3:GetObjectVersion'], [s3(input, '/incoming/*')]),
      allow('ListLandingFiles', ['s3:ListBucket'], [s3(input)], {
        StringLike: { 's3:prefix': ['incoming/*'] },
      }),
      allow(
        'ReadWriteCuratedData',
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        [s3(output, '/*')],
      ),
      allow('ListCuratedData', ['s3:ListBucket', 's3:GetBucketLocation'], [s3(output)]),
      allow('ReadManifests', ['s3:GetObject'], [s3(assets, '/manifests/*')]),
      allow('WriteRunReports', ['s3:PutObject'], [s3(assets, '/reports/*')]),
      allow(
        'ReadWriteGlueWorkingFiles',
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        [s3(assets, '/glue-temp/*'), s3(assets, '/spark-ui-logs/*')],
      ),
      allow('ListGlueWorkingFiles', ['s3:ListBucket'], [s3(assets)], {
        StringLike: { 's3:prefix': ['glue-temp/*', 'spark-ui-logs/*'] },
      }),
      allow('ReadJobScripts', ['s3:GetObject'], [s3('cdk-hnb659fds-assets-222222222222-eu-west-1', '/*')]),
      allow(
        'CatalogTablesOfThisDatabase',
        [...GLUE_CATALOG_ACTIONS],
        [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/*`)],
      ),
      allow(
        'WriteGlueLogs',
        ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        ['arn:<AWS::Partition>:logs:eu-west-1:222222222222:log-group:/aws-glue/*'],
      ),
      allow(
        'UseDataKey',
        ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        [keyArn()],
      ),
      allow('PublishGlueMetrics', ['cloudwatch:PutMetricData'], ['*'], {
        StringEquals: { 'cloudwatch:namespace': 'Glue' },
      }),
      allow('RecordFileOutcomes', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [ledgerArn]),
      allow('PublishFileMetrics', ['cloudwatch:PutMetricData'], ['*'], {
        StringEquals: { 'cloudwatch:namespace': 'glue-etl/dev/files' },
      }),
    ]);
  });
});

describe("the Glue job role's Data Catalog access", () => {
  const glueStatements = () =>
    statementsOf(glueJobRoleName(ctx)).filter((s) => s.Action.some((a) => a.startsWith('glue:')));

  test("its catalog actions are exactly the five Iceberg's GlueCatalog calls, with no partition or delete action", () => {
    const granted = glueStatements().flatMap((s) => s.Action);

    expect([...granted].sort()).toEqual([
      'glue:CreateTable',
      'glue:GetDatabase',
      'glue:GetTable',
      'glue:GetTables',
      'glue:UpdateTable',
    ]);
    expect([...granted].sort()).toEqual([...GLUE_CATALOG_ACTIONS].sort());
  });

  test("they apply only to this stage's catalog, its database and that database's tables", () => {
    const db = glueDatabaseName(ctx);

    expect(glueStatements().map((s) => s.Resource)).toEqual([
      [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/*`)],
    ]);
  });
});

describe("the Glue job role's access to the output bucket (the Iceberg warehouse)", () => {
  const grantsOn = (resource: string): string[] =>
    statementsOf(glueJobRoleName(ctx))
      .filter((s) => s.Resource.includes(resource))
      .flatMap((s) => s.Action);

  test('its objects allow what S3FileIO does: read, write, delete and abort a multipart upload', () => {
    expect(grantsOn(s3(outputBucketName(ctx), '/*')).sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:DeleteObject',
      's3:GetObject',
      's3:PutObject',
    ]);
  });

  test('the bucket itself may be listed, to find orphan files', () => {
    expect(grantsOn(s3(outputBucketName(ctx)))).toContain('s3:ListBucket');
  });
});

describe('the trigger function role', () => {
  test('only Lambda can assume it', () => {
    expect(trustOf(triggerFunctionRoleName(ctx))).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('its statements are exactly manifests, the one Glue job, its queue, the key and its own logs', () => {
    expect(statementsOf(triggerFunctionRoleName(ctx))).toEqual([
      allow('WriteManifests', ['s3:PutObject'], [s3(assetsBucketName(ctx), '/manifests/*')]),
      allow('StartFileProcessorRuns', ['glue:StartJobRun'], [glue('job/glue-etl-dev-file-processor')]),
      allow('FindInDoubtRuns', ['glue:GetJobRuns'], [glue('job/glue-etl-dev-file-processor')]),
      allow('RecordFilesInLedger', ['dynamodb:UpdateItem', 'dynamodb:BatchGetItem'], [ledgerArn]),
      allow(
        'ConsumeTriggerQueue',
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        ['arn:<AWS::Partition>:sqs:eu-west-1:222222222222:glue-etl-dev-trigger'],
      ),
      allow(
        'UseDataKey',
        ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:DescribeKey'],
        [keyArn()],
      ),
      allow(
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [
          'arn:<AWS::Partition>:logs:eu-west-1:222222222222:log-group:/aws/lambda/glue-etl-dev-trigger:log-stream:*',
        ],
      ),
    ]);
  });

  test('no construct attaches another policy to it', () => {
    const roleRef = logicalIdOf(stack, stack.triggerRole.role);
    const attached = Object.values(policies).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleRef),
    );
    expect(attached).toEqual([]);
    expect(roleNamed(triggerFunctionRoleName(ctx)).Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('the reconciliation function role', () => {
  test('only Lambda can assume it', () => {
    expect(trustOf(reconciliationRoleName(ctx))).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  test('its statements are exactly listing incoming/, reading the ledger, its reports, the key and its own logs', () => {
    expect(statementsOf(reconciliationRoleName(ctx))).toEqual([
      allow('ListIncomingVersions', ['s3:ListBucketVersions'], [s3(inputBucketName(ctx))], {
        StringLike: { 's3:prefix': ['incoming/*'] },
      }),
      allow('ReadFileLedger', ['dynamodb:BatchGetItem'], [ledgerArn]),
      allow(
        'WriteReconciliationReports',
        ['s3:PutObject'],
        [s3(assetsBucketName(ctx), '/reports/reconciliation/*')],
      ),
      allow('UseDataKey', ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'], [keyArn()]),
      allow(
        'WriteOwnLogs',
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        [
          'arn:<AWS::Partition>:logs:eu-west-1:222222222222:log-group:/aws/lambda/glue-etl-dev-reconciliation:log-stream:*',
        ],
      ),
    ]);
  });

  test('no construct attaches another policy to it', () => {
    const roleRef = logicalIdOf(stack, stack.reconciliationRole.role);
    const attached = Object.values(policies).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleRef),
    );
    expect(attached).toEqual([]);
  });
});

describe('the smoke-test role', () => {
  test("only the application pipeline's smoke-test step role of this stage can assume it", () => {
    expect(trustOf(smokeTestRoleName(ctx))).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn':
              'arn:<AWS::Partition>:iam::111111111111:role/glue-etl-dev-application-smoke-test',
          },
        },
      },
    ]);
  });

  test('its statements are exactly the smoke-test dataset, the reports, the job runs and the key', () => {
    expect(statementsOf(smokeTestRoleName(ctx))).toEqual([
      allow('UploadSmokeTestFile', ['s3:PutObject'], [s3(inputBucketName(ctx), '/incoming/smoke_test/*')]),
      allow('ReadRunReports', ['s3:GetObject'], [s3(assetsBucketName(ctx), '/reports/*')]),
      allow(
        'FollowJobRuns',
        ['glue:GetJobRuns', 'glue:GetJobRun'],
        [glue('job/glue-etl-dev-file-processor')],
      ),
      allow('UseDataKey', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], [keyArn()]),
    ]);
  });
});

describe('the export-check role', () => {
  test("only the application pipeline's export-check step role of this stage can assume it", () => {
    expect(trustOf(exportCheckRoleName(ctx))).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn':
              'arn:<AWS::Partition>:iam::111111111111:role/glue-etl-dev-application-export-check',
          },
        },
      },
    ]);
  });

  test('its single permission is listing exports', () => {
    expect(statementsOf(exportCheckRoleName(ctx))).toEqual([
      allow('ListExports', ['cloudformation:ListExports'], ['*']),
    ]);
    const roleRef = logicalIdOf(stack, stack.exportCheckRole.role);
    const attached = Object.values(policies).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleRef),
    );
    expect(attached).toEqual([]);
    expect(roleNamed(exportCheckRoleName(ctx)).Properties.ManagedPolicyArns).toBeUndefined();
  });
});

test('a stage without smoke tests has no smoke-test role, and every stage has an export-check role', () => {
  const built = buildInfrastructure(THREE_STAGE_CONFIG);
  for (const stage of built.config.stages) {
    const names = Object.values(built.template(stage.name).findResources('AWS::IAM::Role')).map(
      (r) => (r as RoleJson).Properties.RoleName,
    );
    const stageCtx = built.ctx(stage.name);
    expect({ stage: stage.name, smokeTestRole: names.includes(smokeTestRoleName(stageCtx)) }).toEqual({
      stage: stage.name,
      smokeTestRole: stage.smokeTest,
    });
    expect(names).toContain(exportCheckRoleName(stageCtx));
    expect(built.stack(stage.name).smokeTestRole === undefined).toBe(!stage.smokeTest);
  }
  expect(built.config.stages.map((s) => s.smokeTest)).toEqual([true, false, false]);
});

test('no role or policy of the stack allows an action with a wildcard', () => {
  const statements = [
    ...roles.flatMap((r) => r.Properties.Policies?.flatMap((p) => p.PolicyDocument.Statement) ?? []),
    ...Object.values(policies).flatMap(
      (p) =>
        (p.Properties as unknown as { PolicyDocument: { Statement: Record<string, unknown>[] } })
          .PolicyDocument.Statement,
    ),
  ];
  expect(statements.length).toBeGreaterThan(0);
  const wildcardActions = flatStatements(stack, statements).flatMap((s) =>
    s.Action.filter((a) => a.includes('*')),
  );
  expect(wildcardActions).toEqual([]);
});
