import {
  addComplianceChecks,
  parsePlatformConfig,
  PlatformPipelineStack,
} from '@glue-platform/shared-constructs';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';

import { InfrastructureStage } from '../lib/infrastructure-stage';

import {
  BuiltInfrastructure,
  buildInfrastructure,
  DEFAULT_CONFIG,
  THREE_STAGE_CONFIG,
} from './support/infrastructure-app';

const unacknowledged = (stack: Stack): string[] =>
  new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);

describe('on the default config', () => {
  let built: BuiltInfrastructure;
  beforeAll(() => {
    built = buildInfrastructure();
  });

  test('cdk-nag finds nothing unacknowledged in the pipeline stack', () => {
    expect(unacknowledged(built.pipelineStack)).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged in the dev stack', () => {
    expect(unacknowledged(built.stack('dev'))).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged in the prod stack', () => {
    expect(unacknowledged(built.stack('prod'))).toEqual([]);
  });
});

describe('on a three-stage config with a stage in another region', () => {
  let built: BuiltInfrastructure;
  beforeAll(() => {
    built = buildInfrastructure(THREE_STAGE_CONFIG);
  });

  test('cdk-nag finds nothing unacknowledged in any stack of the app', () => {
    const stacks = built.app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    expect(stacks.map((s) => s.node.path).sort()).toEqual(
      [
        'cross-region-stack-111111111111:eu-central-1',
        'glue-etl-infrastructure-pipeline',
        'glue-etl-infrastructure-pipeline/dev/DataPlatform',
        'glue-etl-infrastructure-pipeline/prod/DataPlatform',
        'glue-etl-infrastructure-pipeline/staging/DataPlatform',
      ].sort(),
    );
    expect(stacks.flatMap(unacknowledged)).toEqual([]);
  });
});

test('the checks registered on the app fail the synth for a finding inside a stage stack', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  addComplianceChecks(app);
  const config = parsePlatformConfig(DEFAULT_CONFIG);
  new PlatformPipelineStack(app, 'Pipeline', {
    config,
    app: 'infrastructure',
    createStage: (scope, id, stage) => {
      const cdkStage = new InfrastructureStage(scope, id, { config, stage });
      if (id === 'dev') new s3.Bucket(cdkStage.dataPlatform, 'UnloggedBucket', { enforceSSL: true });
      return cdkStage;
    },
  });
  expect(() => app.synth()).toThrow(/dev\/DataPlatform\/UnloggedBucket[\s\S]*AwsSolutions-S1/);
});
