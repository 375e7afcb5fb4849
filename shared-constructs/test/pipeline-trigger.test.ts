import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

import {
  MAX_FILE_PATHS_PER_FILTER,
  parsePlatformConfig,
  PlatformApp,
  PlatformConfigInput,
  PlatformPipelineStack,
  StageConfig,
  triggerFilePathGroups,
  placeholderConfig,
} from '../src';

const BASE: PlatformConfigInput = placeholderConfig([
  { name: 'dev', account: '222222222222', region: 'eu-west-1' },
]);

const createStage = (scope: Construct, id: string, stage: StageConfig): Stage => {
  const cdkStage = new Stage(scope, id, { env: { account: stage.account, region: stage.region } });
  new ssm.StringParameter(new Stack(cdkStage, 'Workload'), 'Marker', { stringValue: id });
  return cdkStage;
};

interface PushFilter {
  readonly Branches: { readonly Includes: string[] };
  readonly FilePaths: { readonly Includes: string[] };
}
interface TriggerJson {
  readonly ProviderType: string;
  readonly GitConfiguration: { readonly SourceActionName: string; readonly Push: PushFilter[] };
}

function pipelineOf(app: PlatformApp, config: PlatformConfigInput = BASE, configFile?: string) {
  const stack = new PlatformPipelineStack(new App(), 'Pipeline', {
    config: parsePlatformConfig(config),
    app,
    createStage,
    configFile,
  });
  const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::CodePipeline::Pipeline'));
  return pipeline.Properties as {
    Triggers: TriggerJson[];
    Stages: { Name: string; Actions: { Name: string; Configuration: Record<string, unknown> }[] }[];
  };
}

const includedPaths = (trigger: TriggerJson): string[] =>
  trigger.GitConfiguration.Push.flatMap((filter) => filter.FilePaths.Includes);

const ROOT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig*.json',
  'platform.config.json',
  'jest.config.js',
  'eslint.config.mjs',
];

describe('the infrastructure pipeline trigger', () => {
  let pipeline: ReturnType<typeof pipelineOf>;
  beforeAll(() => {
    pipeline = pipelineOf('infrastructure');
  });

  test('one push trigger is attached to the source action', () => {
    const sourceName = pipeline.Stages[0].Actions[0].Name;
    expect(pipeline.Triggers).toHaveLength(1);
    expect(pipeline.Triggers[0].ProviderType).toBe('CodeStarSourceConnection');
    expect(pipeline.Triggers[0].GitConfiguration.SourceActionName).toBe(sourceName);
  });

  test('a push touching the infrastructure workspace, the shared library, scripts or root files starts it', () => {
    expect(includedPaths(pipeline.Triggers[0]).sort()).toEqual(
      ['infrastructure-repo/**', 'shared-constructs/**', 'scripts/**', ...ROOT_FILES].sort(),
    );
  });

  test('a push touching only the application workspace does not start it', () => {
    const patterns = includedPaths(pipeline.Triggers[0]);
    const starts = (file: string) => patterns.some((pattern) => globMatches(pattern, file));

    expect(
      ['application-repo/lib/application-stack.ts', 'application-repo/glue-jobs/x/job.py'].map(starts),
    ).toEqual([false, false]);
    expect(
      ['infrastructure-repo/lib/stage.ts', 'shared-constructs/src/naming.ts', 'package.json'].map(starts),
    ).toEqual([true, true, true]);
  });

  test('every push filter is limited to the configured branch', () => {
    for (const filter of pipeline.Triggers[0].GitConfiguration.Push)
      expect(filter.Branches.Includes).toEqual(['main']);
  });
});

describe('the application pipeline trigger', () => {
  test('a push touching the application workspace, the shared library, scripts or root files starts it', () => {
    const pipeline = pipelineOf('application');
    expect(includedPaths(pipeline.Triggers[0]).sort()).toEqual(
      [
        'application-repo/**',
        'shared-constructs/**',
        'scripts/**',
        'requirements-dev.txt',
        'ruff.toml',
        ...ROOT_FILES,
      ].sort(),
    );
  });

  test('an app with its own repository and branch reads and triggers on them', () => {
    const pipeline = pipelineOf('application', {
      ...BASE,
      source: { ...BASE.source, application: { repository: 'example-org/glue-jobs', branch: 'release' } },
    });
    expect(pipeline.Stages[0].Actions[0].Configuration).toMatchObject({
      FullRepositoryId: 'example-org/glue-jobs',
      BranchName: 'release',
    });
    for (const filter of pipeline.Triggers[0].GitConfiguration.Push)
      expect(filter.Branches.Includes).toEqual(['release']);
  });

  test('a config file other than the default also starts the pipeline when it changes', () => {
    const pipeline = pipelineOf('application', BASE, 'configs/three-stages.json');
    expect(includedPaths(pipeline.Triggers[0])).toContain('configs/three-stages.json');
  });
});

describe('triggerFilePathGroups', () => {
  test('no group holds more patterns than CodePipeline accepts in one push filter', () => {
    for (const app of ['infrastructure', 'application'] as const) {
      for (const group of triggerFilePathGroups(app, 'configs/extra.json')) {
        expect(group.length).toBeLessThanOrEqual(MAX_FILE_PATHS_PER_FILTER);
      }
    }
  });

  test('the default config file is not listed twice', () => {
    const paths = triggerFilePathGroups('infrastructure', 'platform.config.json').flat();
    expect(paths.filter((p) => p === 'platform.config.json')).toHaveLength(1);
  });
});

/** CodePipeline's file-path globs: `**` crosses folders, `*` and `?` do not. */
const globMatches = (pattern: string, file: string): boolean => {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${source}$`).test(file);
};
