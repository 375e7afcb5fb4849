import { readdirSync } from 'node:fs';
import * as path from 'node:path';

import {
  placeholderConfig,
  stageContext,
  stageStackName,
  triggerFunctionName,
  parsePlatformConfig,
} from '@glue-platform/shared-constructs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

import { BuiltInfrastructure, buildInfrastructure, THREE_STAGE_CONFIG } from './support/infrastructure-app';

interface PipelineJson {
  readonly Stages: {
    readonly Name: string;
    readonly Actions: { readonly ActionTypeId: { readonly Provider: string } }[];
  }[];
}

interface FunctionJson {
  readonly FunctionName: string;
  readonly Code: { readonly S3Key: string };
}

const devContext = stageContext(parsePlatformConfig(placeholderConfig()), 'dev');

const pipelineOf = (assembly: CloudAssembly, stackName: string): PipelineJson => {
  const template = assembly.getStackByName(stackName).template as {
    Resources: Record<string, { Type: string; Properties: unknown }>;
  };
  const pipeline = Object.values(template.Resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  if (!pipeline) throw new Error('no pipeline');
  return pipeline.Properties as PipelineJson;
};

describe('the default config, bundled as cdk synth does', () => {
  let assembly: CloudAssembly;
  beforeAll(() => {
    assembly = buildInfrastructure(undefined, { bundle: true }).app.synth();
  });

  test('the app synthesizes the pipeline stack and one stack per stage', () => {
    const stackNames = [assembly, ...assembly.nestedAssemblies.map((n) => n.nestedAssembly)]
      .flatMap((a) => a.stacks.map((s) => s.stackName))
      .sort();
    expect(stackNames).toEqual(
      [
        'glue-etl-infrastructure-pipeline',
        'glue-etl-dev-infrastructure',
        'glue-etl-prod-infrastructure',
      ].sort(),
    );
  });

  test('the trigger function is bundled into one JavaScript file with its source map', () => {
    const dev = assembly.nestedAssemblies
      .flatMap((n) => n.nestedAssembly.stacks)
      .find((s) => s.stackName === stageStackName(devContext, 'infrastructure'));
    const resources = (
      dev?.template as { Resources: Record<string, { Type: string; Properties: FunctionJson }> }
    ).Resources;
    const trigger = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === triggerFunctionName(devContext),
    );
    const assetDirectory = path.join(
      assembly.directory,
      `asset.${trigger?.Properties.Code.S3Key.replace(/\.zip$/, '')}`,
    );
    expect(readdirSync(assetDirectory).sort()).toEqual(['index.js', 'index.js.map']);
  });
});

describe('a three-stage config', () => {
  let built: BuiltInfrastructure;
  let pipeline: PipelineJson;
  beforeAll(() => {
    built = buildInfrastructure(THREE_STAGE_CONFIG);
    pipeline = pipelineOf(built.app.synth(), 'glue-etl-infrastructure-pipeline');
  });

  test('the pipeline deploys dev, staging and prod in that order', () => {
    expect(pipeline.Stages.map((s) => s.Name).slice(-3)).toEqual(['dev', 'staging', 'prod']);
  });

  test('staging and prod wait for an approval, dev does not', () => {
    const approvals = Object.fromEntries(
      pipeline.Stages.slice(-3).map((s) => [
        s.Name,
        s.Actions.some((a) => a.ActionTypeId.Provider === 'Manual'),
      ]),
    );
    expect(approvals).toEqual({ dev: false, staging: true, prod: true });
  });

  test('the staging stack is named for staging and deployed to its account and region', () => {
    const stack = built.stack('staging');
    expect([stack.stackName, stack.account, stack.region]).toEqual([
      stageStackName(built.ctx('staging'), 'infrastructure'),
      '222222222222',
      'eu-central-1',
    ]);
  });
});
