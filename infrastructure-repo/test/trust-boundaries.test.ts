import {
  assetPublishingRoleName,
  MANAGED_KEY_TAG,
  pipelineRoleName,
  stagePermissionsBoundaryName,
} from '@glue-platform/shared-constructs';
import { Template } from 'aws-cdk-lib/assertions';

import { buildInfrastructure, DEFAULT_CONFIG, THREE_STAGE_CONFIG } from './support/infrastructure-app';

type Json = Record<string, unknown>;
interface Statement {
  readonly Sid?: string;
  readonly Principal?: { AWS?: unknown; Service?: unknown } | string;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];
const conditionKeys = (s: Statement): string[] =>
  Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));

/** Every policy statement of `type` resources, found at `documentPath` of their properties. */
function statementsOf(
  template: Template,
  type: string,
  documentProperty: string,
): Array<[string, Statement]> {
  return Object.entries(template.findResources(type)).flatMap(([id, resource]) => {
    const document = (resource.Properties as Json)[documentProperty] as { Statement: Statement[] };
    return document.Statement.map((s): [string, Statement] => [id, s]);
  });
}

const CONFIGS = { default: DEFAULT_CONFIG, 'three-stage': THREE_STAGE_CONFIG };

describe.each(Object.entries(CONFIGS))('the %s config', (_name, input) => {
  const built = buildInfrastructure(input);
  const stages = built.config.stages.map((s) => s.name);

  test.each(stages)(
    'stage %s: every role trusting an account names the principal by aws:PrincipalArn',
    (stage) => {
      const trusts = statementsOf(built.template(stage), 'AWS::IAM::Role', 'AssumeRolePolicyDocument');
      expect(trusts.length).toBeGreaterThan(0);
      const accountTrusts = trusts.filter(
        ([, s]) => typeof s.Principal !== 'object' || s.Principal.AWS !== undefined,
      );
      const unconditioned = accountTrusts
        .filter(([, s]) => !conditionKeys(s).includes('aws:PrincipalArn'))
        .map(([id, s]) => `${id}: ${JSON.stringify(s.Principal)}`);
      expect(unconditioned).toEqual([]);
      // The stage's export-check role at least trusts the pipeline account, so the filter above found something.
      expect(accountTrusts.length).toBeGreaterThan(0);
    },
  );

  test.each(stages)(
    'stage %s: every role carries the permissions boundary of the stage bootstrap',
    (stage) => {
      const ctx = built.ctx(stage);
      const roles = Object.entries(built.template(stage).findResources('AWS::IAM::Role'));
      expect(roles.length).toBeGreaterThanOrEqual(3);
      const boundaries = roles.map(([id, r]) => [id, (r.Properties as Json).PermissionsBoundary]);
      const expected = `arn:aws:iam::${ctx.account}:policy/${stagePermissionsBoundaryName(ctx.project, ctx.region)}`;
      expect(boundaries).toEqual(roles.map(([id]) => [id, expected]));
    },
  );

  test.each(stages)(
    'stage %s: the data key carries the project tag the execution policy requires',
    (stage) => {
      const keys = Object.values(built.template(stage).findResources('AWS::KMS::Key'));
      expect(keys.map((k) => (k.Properties as Json).Tags)).toEqual(
        keys.map((): unknown =>
          expect.arrayContaining([{ Key: MANAGED_KEY_TAG, Value: built.config.project }]),
        ),
      );
    },
  );

  test.each(stages)(
    'stage %s: every service principal of a topic, queue or key policy is bound to this account and a source',
    (stage) => {
      const template = built.template(stage);
      const ctx = built.ctx(stage);
      const statements = [
        ...statementsOf(template, 'AWS::SNS::TopicPolicy', 'PolicyDocument'),
        ...statementsOf(template, 'AWS::SQS::QueuePolicy', 'PolicyDocument'),
        ...statementsOf(template, 'AWS::KMS::Key', 'KeyPolicy'),
      ];
      const services = statements.filter(
        ([, s]) => typeof s.Principal === 'object' && asList(s.Principal.Service).length > 0,
      );
      // S3 and CloudWatch on the queue, topic and key, EventBridge on the topic and key, CloudWatch Logs on the key.
      expect(services.length).toBeGreaterThanOrEqual(6);
      const unbound = services
        .filter(([, s]) => {
          const keys = conditionKeys(s);
          const source =
            keys.includes('aws:SourceArn') || keys.includes('kms:EncryptionContext:aws:logs:arn');
          return !keys.includes('aws:SourceAccount') || !source;
        })
        .map(([id, s]) => `${id} ${s.Sid ?? ''}: ${JSON.stringify(s.Principal)}`);
      expect(unbound).toEqual([]);
      const accounts = services.map(([, s]) => s.Condition?.StringEquals?.['aws:SourceAccount']);
      expect(new Set(accounts)).toEqual(new Set([ctx.account]));
    },
  );
});

test('the pipeline roles the stage bootstrap trusts by name carry those names', () => {
  const built = buildInfrastructure(DEFAULT_CONFIG);
  const names = Object.values(Template.fromStack(built.pipelineStack).findResources('AWS::IAM::Role')).map(
    (r) => (r.Properties as Json).RoleName,
  );
  expect(names).toEqual(
    expect.arrayContaining([
      pipelineRoleName('glue-etl', 'infrastructure'),
      assetPublishingRoleName('glue-etl', 'infrastructure'),
    ]),
  );
});
