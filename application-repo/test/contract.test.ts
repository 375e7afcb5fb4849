import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

import {
  glueJobName,
  loadPlatformConfig,
  NameContext,
  stageContext,
  stageStackName,
} from '@glue-platform/shared-constructs';

import { importedNames, tempDirectory } from './helpers';

/**
 * The two apps never import each other, so this test runs each one's entrypoint as the CDK CLI would (a
 * subprocess with CDK_OUTDIR set) and compares what they synthesize.
 */
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const SYNTH_TIMEOUT_MS = 240_000;

interface SynthesizedStack {
  readonly stackName: string;
  readonly environment: string;
  readonly template: Record<string, unknown>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
  };
}

/** Synthesizes one app on `configFile` (repository-relative; undefined for the embedded default). */
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synthesizeWorkspace(workspace: string, configFile: string | undefined): string {
  const outdir = tempDirectory(`contract-${workspace}-`);
  outdirs.push(outdir);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir };
  delete env.PLATFORM_CONFIG;
  if (configFile) env.PLATFORM_CONFIG = path.join(REPOSITORY_ROOT, configFile);
  const result = spawnSync('npx', ['tsx', 'bin/app.ts'], {
    cwd: path.join(REPOSITORY_ROOT, workspace),
    env,
    encoding: 'utf8',
    timeout: SYNTH_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`${workspace}/bin/app.ts did not synthesize (exit ${result.status}):\n${result.stderr}`);
  }
  return outdir;
}

/**
 * The assemblies `scripts/synth-and-lint.sh` wrote with the CDK CLI, when the test command names their folder in
 * PLATFORM_SYNTH_OUT (it synthesizes before jest, so the apps are not synthesized twice); else synthesized here.
 */
function assemblyOf(workspace: string, configFile: string | undefined): string {
  const synthesized = process.env.PLATFORM_SYNTH_OUT;
  if (!synthesized) return synthesizeWorkspace(workspace, configFile);
  const config = path.basename(configFile ?? 'platform.config.json', '.json');
  const outdir = path.resolve(REPOSITORY_ROOT, synthesized, config, workspace);
  if (!existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(`PLATFORM_SYNTH_OUT is ${synthesized}, but ${outdir} holds no cloud assembly`);
  }
  return outdir;
}

/** Every stack of a cloud assembly, nested Stage assemblies included. */
function stacksOf(assemblyDir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  return Object.entries(manifest.artifacts ?? {}).flatMap(([id, artifact]): SynthesizedStack[] => {
    const props = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && props.directoryName) {
      return stacksOf(path.join(assemblyDir, props.directoryName));
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !props.templateFile) return [];
    const template = JSON.parse(readFileSync(path.join(assemblyDir, props.templateFile), 'utf8')) as Record<
      string,
      unknown
    >;
    return [{ stackName: props.stackName ?? id, environment: artifact.environment ?? '', template }];
  });
}

const environmentOf = (ctx: NameContext): string => `aws://${ctx.account}/${ctx.region}`;

type TemplateResource = { Type?: string; Properties?: Record<string, unknown> };
const resourcesOf = (template: Record<string, unknown>, type: string): TemplateResource[] =>
  Object.values((template.Resources ?? {}) as Record<string, TemplateResource>).filter(
    (r) => r.Type === type,
  );

const glueJobNames = (template: Record<string, unknown>): string[] =>
  resourcesOf(template, 'AWS::Glue::Job').map((job) => String(job.Properties?.Name));

/** The job-name prefixes of every EventBridge rule on failed Glue job runs (`{"prefix": ...}` matchers). */
function failureRulePrefixes(template: Record<string, unknown>): string[] {
  return resourcesOf(template, 'AWS::Events::Rule').flatMap((rule) => {
    const pattern = rule.Properties?.EventPattern as
      { 'detail-type'?: string[]; detail?: { jobName?: unknown[]; state?: string[] } } | undefined;
    if (!pattern?.['detail-type']?.includes('Glue Job State Change')) return [];
    if (!pattern.detail?.state?.includes('FAILED')) return [];
    return (pattern.detail.jobName ?? []).flatMap((matcher) =>
      matcher !== null && typeof matcher === 'object' && 'prefix' in matcher ? [String(matcher.prefix)] : [],
    );
  });
}

const exportNames = (template: Record<string, unknown>): string[] =>
  Object.values((template.Outputs ?? {}) as Record<string, { Export?: { Name?: unknown } }>).flatMap(
    (output) => (typeof output.Export?.Name === 'string' ? [output.Export.Name] : []),
  );

/** The embedded default, and a config with a stage sharing dev's account in another region. */
const CONFIGS: readonly (string | undefined)[] = [undefined, 'scripts/fixtures/three-stages.config.json'];

describe.each(CONFIGS.map((file) => [file ?? 'platform.config.json', file] as const))(
  'on %s',
  (_name, configFile) => {
    const config = loadPlatformConfig({
      env: configFile ? { PLATFORM_CONFIG: path.join(REPOSITORY_ROOT, configFile) } : {},
    });
    let applicationStacks: SynthesizedStack[];
    let infrastructureStacks: SynthesizedStack[];

    beforeAll(() => {
      applicationStacks = stacksOf(assemblyOf('application-repo', configFile));
      infrastructureStacks = stacksOf(assemblyOf('infrastructure-repo', configFile));
    }, 2 * SYNTH_TIMEOUT_MS);

    describe.each(config.stages.map((stage) => stage.name))('the %s stage', (stageName) => {
      const ctx = () => stageContext(config, stageName);
      const inStage = (stacks: SynthesizedStack[]) =>
        stacks.filter((s) => s.environment === environmentOf(ctx()));

      test('the application app deploys its stack to the stage account and region', () => {
        expect(inStage(applicationStacks).map((s) => s.stackName)).toContain(
          stageStackName(ctx(), 'application'),
        );
      });

      test('the infrastructure app deploys its stack to the same account and region', () => {
        expect(inStage(infrastructureStacks).map((s) => s.stackName)).toContain(
          stageStackName(ctx(), 'infrastructure'),
        );
      });

      test('every import of the application templates is exported by the infrastructure templates there', () => {
        const exported = new Set(inStage(infrastructureStacks).flatMap((s) => exportNames(s.template)));
        const imported = [...new Set(inStage(applicationStacks).flatMap((s) => importedNames(s.template)))];
        expect(imported.length).toBeGreaterThan(0);
        expect(imported.filter((name) => !exported.has(name))).toEqual([]);
      });

      test('every Glue job of the application templates is watched by the failure rule of the infrastructure there', () => {
        const prefixes = inStage(infrastructureStacks).flatMap((s) => failureRulePrefixes(s.template));
        const jobs = inStage(applicationStacks).flatMap((s) => glueJobNames(s.template));
        expect(jobs).toContain(glueJobName(ctx(), 'table_maintenance'));
        expect(jobs.filter((name) => !prefixes.some((prefix) => name.startsWith(prefix)))).toEqual([]);
      });
    });
  },
);
