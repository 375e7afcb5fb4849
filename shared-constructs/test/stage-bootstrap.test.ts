import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  assetPublishingRoleName,
  CfnTemplate,
  CHANGE_SET_SUMMARY_STEP,
  LAMBDA_BASIC_EXECUTION,
  loadPlatformConfig,
  MANAGED_KEY_TAG,
  pipelineRoleName,
  pipelineStepRoleName,
  REPOSITORY_ROOT,
  stageBootstrapTemplate,
  stagePermissionsBoundaryName,
} from '../src';

type Json = Record<string, unknown>;
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: { AWS?: unknown; Service?: unknown };
  readonly Condition?: Json;
}

const TEMPLATE_FILE = path.join(REPOSITORY_ROOT, 'bootstrap', 'stage-bootstrap.template.json');
const committed = JSON.parse(readFileSync(TEMPLATE_FILE, 'utf8')) as CfnTemplate;
const config = loadPlatformConfig({ env: {} });

/** CloudFormation's Fn::Sub and Ref resolved for one placeholder stage account, enough to compare ARNs. */
const PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': '222222222222',
  'AWS::Region': 'eu-west-1',
  PipelineAccount: '111111111111',
  Project: 'glue-etl',
  ProjectUnderscored: 'glue_etl',
  Qualifier: 'hnb659fds',
};
function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value !== null && typeof value === 'object') {
    const record = value as Json;
    if (typeof record['Fn::Sub'] === 'string') {
      return record['Fn::Sub'].replace(
        /\$\{([^}]+)\}/g,
        (_m, name: string) => PARAMETERS[name] ?? `<${name}>`,
      );
    }
    if (typeof record.Ref === 'string') return PARAMETERS[record.Ref] ?? `<${record.Ref}>`;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}
const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const actions = (s: Statement): string[] => asList(s.Action).map(String);
const resourceOf = (id: string): Json => {
  const resource = committed.Resources[id];
  if (!resource) throw new Error(`no ${id} in the template`);
  return resource.Properties;
};
const policyOf = (id: string): Statement[] =>
  resolve((resourceOf(id).PolicyDocument as { Statement: unknown }).Statement) as Statement[];
/** Trust statements with the ExternalId branch of `Fn::If` taken (the default: DenyExternalId true). */
const trustOf = (id: string): Statement[] => {
  const document = resourceOf(id).AssumeRolePolicyDocument as { Statement: Json[] };
  return document.Statement.map((s) => {
    const condition = s.Condition as Json | undefined;
    const chosen = condition?.['Fn::If'] ? (condition['Fn::If'] as unknown[])[1] : condition;
    return resolve({ ...s, ...(chosen ? { Condition: chosen } : {}) }) as Statement;
  });
};

test('the committed template is what the generator makes of the pinned CDK CLI template and the config', () => {
  const cli = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'cdk');
  const upstream = JSON.parse(
    execFileSync(cli, ['bootstrap', '--show-template', '--json'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' }),
  ) as CfnTemplate;
  const expected = stageBootstrapTemplate(upstream, {
    project: config.project,
    pipelineAccount: config.pipeline.account,
  });
  // On a difference: npx tsx scripts/generate-stage-bootstrap.ts
  expect(committed).toEqual(expected);
  // It is still CDK's bootstrap: the same version parameter the CLI checks.
  expect(committed.Resources.CdkBootstrapVersion).toEqual(upstream.Resources.CdkBootstrapVersion);
});

describe('who may assume the CDK roles of a stage account', () => {
  const arn = (name: string) => `arn:aws:iam::111111111111:role/${name}`;
  const pipelines = ['infrastructure', 'application'] as const;
  const cases: Array<[string, string[]]> = [
    ['DeploymentActionRole', pipelines.map((app) => arn(pipelineRoleName('glue-etl', app)))],
    [
      'LookupRole',
      pipelines.flatMap((app) => [
        arn(pipelineRoleName('glue-etl', app)),
        arn(pipelineStepRoleName('glue-etl', app, CHANGE_SET_SUMMARY_STEP, '*')),
      ]),
    ],
    ['FilePublishingRole', pipelines.map((app) => arn(assetPublishingRoleName('glue-etl', app)))],
    ['ImagePublishingRole', pipelines.map((app) => arn(assetPublishingRoleName('glue-etl', app)))],
  ];

  test.each(cases)('%s: only the named roles of the pipeline account', (id, principals) => {
    const trust = trustOf(id);
    expect(trust.map((s) => s.Principal)).toEqual(
      trust.map(() => ({ AWS: 'arn:aws:iam::111111111111:root' })),
    );
    for (const statement of trust) {
      expect(statement.Condition?.ArnEquals).toEqual({ 'aws:PrincipalArn': principals });
    }
    expect(trust.flatMap(actions).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(trust.find((s) => actions(s).includes('sts:AssumeRole'))?.Condition?.Null).toEqual({
      'sts:ExternalId': 'true',
    });
  });

  test('no role of the template trusts an account without naming the principal', () => {
    const unconditioned = Object.entries(committed.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .flatMap(([id]) => trustOf(id).map((s): [string, Statement] => [id, s]))
      .filter(
        ([, s]) =>
          s.Principal?.AWS !== undefined && !JSON.stringify(s.Condition ?? {}).includes('aws:PrincipalArn'),
      )
      .map(([id]) => id);
    expect(unconditioned).toEqual([]);
  });

  test('CloudFormation assumes the execution role only for this account', () => {
    expect(trustOf('CloudFormationExecutionRole')).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'cloudformation.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
      },
    ]);
  });
});

describe('the execution policy CloudFormation deploys with', () => {
  const statements = policyOf('StageExecutionPolicy');
  const all = statements.flatMap(actions);
  const boundaryArn = `arn:aws:iam::222222222222:policy/${stagePermissionsBoundaryName('glue-etl', 'eu-west-1')}`;

  test('is the only policy of the execution role, and --cloudformation-execution-policies is refused', () => {
    expect(resourceOf('CloudFormationExecutionRole').ManagedPolicyArns).toEqual([
      { Ref: 'StageExecutionPolicy' },
    ]);
    expect(JSON.stringify(committed.Rules)).toContain('"Ref":"CloudFormationExecutionPolicies"');
  });

  test('creates roles, and adds policies to them, only with the shipped boundary', () => {
    const escalating = [
      'iam:CreateRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:PutRolePermissionsBoundary',
    ];
    const granting = statements.filter((s) => actions(s).some((a) => escalating.includes(a)));
    expect(granting.flatMap(actions)).toEqual(expect.arrayContaining(escalating));
    for (const s of granting) {
      expect(s.Condition?.ArnEquals).toMatchObject({ 'iam:PermissionsBoundary': boundaryArn });
    }
    expect(resolve(resourceOf('StagePermissionsBoundary').ManagedPolicyName)).toBe(
      stagePermissionsBoundaryName('glue-etl', 'eu-west-1'),
    );
  });

  test('can attach no managed policy but the Lambda basic execution role', () => {
    const attach = statements.filter((s) => actions(s).includes('iam:AttachRolePolicy'));
    expect(attach.map((s) => (s.Condition?.ArnEquals as Json | undefined)?.['iam:PolicyARN'])).toEqual([
      `arn:aws:iam::aws:policy/${LAMBDA_BASIC_EXECUTION}`,
    ]);
    expect(all.filter((a) => a.startsWith('iam:') && a.includes('*'))).toEqual([]);
    expect(all).not.toContain('iam:CreatePolicyVersion');
  });

  test('manages only KMS keys tagged with the project, and may not decrypt or grant', () => {
    const kms = statements.filter((s) => actions(s).some((a) => a.startsWith('kms:')));
    expect(all.filter((a) => ['kms:Decrypt', 'kms:CreateGrant', 'kms:*'].includes(a))).toEqual([]);
    // Aliases only name keys (and carry no tags); every other KMS action on a key needs the project's tag.
    const aliasActions = ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'];
    const keyStatements = kms.filter(
      (s) =>
        actions(s).some((a) => !aliasActions.includes(a)) &&
        asList(s.Resource).some((r) => String(r).includes(':key/') || r === '*'),
    );
    expect(keyStatements.length).toBeGreaterThan(0);
    for (const s of keyStatements) {
      const tags = JSON.stringify(s.Condition ?? {});
      expect({ sid: s.Sid, tagged: tags.includes(`Tag/${MANAGED_KEY_TAG}":"glue-etl"`) }).toEqual({
        sid: s.Sid,
        tagged: true,
      });
    }
  });

  test('passes roles only to Glue and Lambda, and allows no action on every service', () => {
    const pass = statements.filter((s) => actions(s).includes('iam:PassRole'));
    expect(pass.map((s) => s.Condition?.StringEquals)).toEqual([
      { 'iam:PassedToService': ['glue.amazonaws.com', 'lambda.amazonaws.com'] },
    ]);
    expect(all.filter((a) => a === '*')).toEqual([]);
  });

  test('every resource it names belongs to the project, the CDK assets or the bootstrap version', () => {
    const resources = statements.flatMap((s) => asList(s.Resource).map(String)).filter((r) => r !== '*');
    const foreign = resources.filter(
      (r) =>
        !/glue-etl-\*|glue_etl_\*|:catalog$|cdk-hnb659fds-assets-|cdk-bootstrap\/hnb659fds|:key\/\*$|:event-source-mapping:\*$/.test(
          r,
        ),
    );
    expect(foreign).toEqual([]);
  });
});

describe('the permissions boundary of every role the stacks create', () => {
  const statements = policyOf('StagePermissionsBoundary');
  const all = statements.flatMap(actions);

  test('allows no IAM, STS or KMS administration and no wildcard action', () => {
    expect(all.filter((a) => /^(iam|sts|organizations):/.test(a) || a.endsWith('*'))).toEqual([]);
    expect(all.filter((a) => a.startsWith('kms:')).sort()).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test('is named the way the stages refer to it', () => {
    expect(resolve(resourceOf('StagePermissionsBoundary').ManagedPolicyName)).toBe(
      'glue-etl-permissions-boundary-eu-west-1',
    );
  });
});

test("CDK's example boundary, which allows every action, is gone and cannot be asked for", () => {
  expect(committed.Resources.CdkBoostrapPermissionsBoundaryPolicy).toBeUndefined();
  expect(JSON.stringify(committed.Rules)).toContain('"Ref":"UseExamplePermissionsBoundary"');
});

test('the template refuses --trust, so no account-wide trust can be added back', () => {
  const rules = committed.Rules as Record<string, { Assertions: { Assert: Json }[] }>;
  expect(rules.NoTrustedAccounts?.Assertions[0]?.Assert).toEqual({
    'Fn::EachMemberEquals': [{ Ref: 'TrustedAccounts' }, ''],
  });
  expect(JSON.stringify(committed.Resources)).not.toContain('"Ref":"TrustedAccounts"');
});

test('a CDK template without the roles the platform rewrites is refused, naming them', () => {
  const upstream = { Parameters: {}, Conditions: {}, Resources: {} } as unknown as CfnTemplate;
  expect(() =>
    stageBootstrapTemplate(upstream, { project: 'glue-etl', pipelineAccount: '111111111111' }),
  ).toThrow(
    /has no DeploymentActionRole, LookupRole, FilePublishingRole, ImagePublishingRole, CloudFormationExecutionRole/,
  );
});
