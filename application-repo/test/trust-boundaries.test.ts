import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  parsePlatformConfig,
  stagePermissionsBoundaryName,
  stageContext,
} from '@glue-platform/shared-constructs';

import { defaultConfig, makeJobsDirectory, synthesizeStages } from './helpers';

type Json = Record<string, unknown>;

const THREE_STAGES = parsePlatformConfig(
  JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', 'scripts', 'fixtures', 'three-stages.config.json'), 'utf8'),
  ),
);

describe.each([
  ['default', defaultConfig()],
  ['three-stage', THREE_STAGES],
])('the application stages of the %s config', (_name, config) => {
  const { templates } = synthesizeStages(config, {
    jobsDirectory: makeJobsDirectory(['file_processor', 'table_maintenance']),
  });

  test('no role trusts an account without naming the principal, and every role carries the boundary', () => {
    for (const stage of config.stages) {
      const ctx = stageContext(config, stage.name);
      const template = templates.get(stage.name);
      if (!template) throw new Error(`no template of ${stage.name}`);
      const roles = Object.values(template.findResources('AWS::IAM::Role')).map((r) => r.Properties as Json);
      const accountTrusts = roles
        .flatMap((r) => (r.AssumeRolePolicyDocument as { Statement: Json[] }).Statement)
        .filter((s) => typeof s.Principal !== 'object' || (s.Principal as Json).AWS !== undefined)
        .filter((s) => !JSON.stringify(s.Condition ?? {}).includes('aws:PrincipalArn'));
      expect(accountTrusts).toEqual([]);
      const boundary = `arn:aws:iam::${ctx.account}:policy/${stagePermissionsBoundaryName(ctx.project, ctx.region)}`;
      expect(roles.map((r) => r.PermissionsBoundary)).toEqual(roles.map(() => boundary));
    }
  });
});
