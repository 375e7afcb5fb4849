import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  createPlatformApp,
  loadPlatformConfig,
  parsePlatformConfig,
  placeholderConfig,
  PlatformConfig,
  PlatformConfigInput,
} from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { ApplicationStage } from '../lib/application-stage';
import { DatasetDefinition } from '../lib/dataset-definition';
import { ENTRYPOINT_FILE, GlueJobDefinition } from '../lib/job-definition';

/** The embedded default config (dev on Flex with a smoke test, prod behind an approval). */
export const defaultConfig = (): PlatformConfig => loadPlatformConfig({ env: {} });

/** A config with placeholder accounts and the given stages. */
export function configWithStages(stages: PlatformConfigInput['stages']): PlatformConfig {
  return parsePlatformConfig(placeholderConfig(stages));
}

export const tempDirectory = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

/** A `glue-jobs/`-like folder with the minimal layout of each job id (entrypoint and package). */
export function makeJobsDirectory(ids: readonly string[]): string {
  const root = tempDirectory('glue-jobs-');
  for (const id of ids) {
    mkdirSync(path.join(root, id, 'src', id), { recursive: true });
    writeFileSync(path.join(root, id, ENTRYPOINT_FILE), '# test entrypoint\n');
    writeFileSync(path.join(root, id, 'src', id, '__init__.py'), '');
  }
  return root;
}

export interface SynthesizedStages {
  readonly app: App;
  readonly stages: ReadonlyMap<string, ApplicationStage>;
  readonly templates: ReadonlyMap<string, Template>;
}

/** One ApplicationStage per configured stage in a fresh app; templates keyed by stage name. */
export function synthesizeStages(
  config: PlatformConfig,
  options: {
    readonly jobsDirectory: string;
    readonly jobs?: readonly GlueJobDefinition[];
    readonly datasets?: readonly DatasetDefinition[];
  },
): SynthesizedStages {
  const app = createPlatformApp({ outdir: tempDirectory('app-synth-') });
  const stages = new Map(
    config.stages.map((stage) => [
      stage.name,
      new ApplicationStage(app, stage.name, { config, stage, ...options }),
    ]),
  );
  const templates = new Map([...stages].map(([name, stage]) => [name, Template.fromStack(stage.stack)]));
  return { app, stages, templates };
}

/** Every `Fn::ImportValue` argument anywhere in a template, as found. */
export function importedNames(template: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::ImportValue') found.push(typeof value === 'string' ? value : JSON.stringify(value));
        else walk(value);
      }
    }
  };
  walk(template);
  return found;
}

/** The test's view of a map entry that must exist. */
export function required<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`test setup: nothing for ${String(key)}`);
  return value;
}
