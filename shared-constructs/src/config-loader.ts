import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { z } from 'zod';

import { PlatformConfig, platformConfigSchema, stageSchema } from './config-schema';
import { projectNameProblems, stageNameProblems } from './name-limits';
import { NameContext } from './naming';

/** One thing wrong with a config file: where, what was found, what is expected. */
export interface ConfigProblem {
  /** Field path such as `stages[1].account`; empty for the whole file. */
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

/** Thrown with every problem of a config at once, so a user fixes the file in one go. */
export class PlatformConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid platform config ${source}: ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p.path || '(file)'}: got ${show(p.value)}; ${p.expected}`).join('\n'),
    );
    this.name = 'PlatformConfigError';
  }
}

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const formatPath = (segments: readonly PropertyKey[]): string =>
  segments.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, '');

const valueAt = (root: unknown, segments: readonly PropertyKey[]): unknown =>
  segments.reduce<unknown>(
    (node, seg) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[seg] : undefined,
    root,
  );

function schemaProblems(raw: unknown): ConfigProblem[] {
  const result = platformConfigSchema.safeParse(raw);
  if (result.success) return [];
  return result.error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: valueAt(raw, [...issue.path, key]),
        expected: `unknown key "${key}" (a typo?); allowed keys here: ${allowedKeys(issue.path).join(', ')}`,
      }));
    }
    return [{ path: formatPath(issue.path), value: valueAt(raw, issue.path), expected: issue.message }];
  });
}

/** The keys a strict object of the schema accepts at `segments`, for the unknown-key message. */
function allowedKeys(segments: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = platformConfigSchema;
  for (const seg of segments) {
    const def = unwrap(schema);
    if (def instanceof z.ZodObject) schema = def.shape[String(seg)] as z.ZodType;
    else if (def instanceof z.ZodArray) schema = def.element as z.ZodType;
  }
  const def = unwrap(schema);
  return def instanceof z.ZodObject ? Object.keys(def.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/**
 * Rules across fields. They read the raw input defensively so that they report alongside schema problems
 * rather than after them: the user sees every problem in one run.
 */
function crossFieldProblems(raw: unknown): ConfigProblem[] {
  if (raw === null || typeof raw !== 'object') return [];
  const record = raw as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const project = platformConfigSchema.shape.project.safeParse(record.project);

  if (project.success) {
    for (const p of projectNameProblems(project.data)) {
      problems.push({
        path: 'project',
        value: project.data,
        expected: `${p.what} "${p.name}" must have ${p.expected}`,
      });
    }
  }

  const stages = Array.isArray(record.stages) ? (record.stages as unknown[]) : [];
  const seen = new Map<string, number>();
  stages.forEach((rawStage, index) => {
    const stage = stageSchema.safeParse(rawStage);
    if (!stage.success) return;
    const { name, account, region, retainData, requireApproval } = stage.data;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push({
        path: `stages[${index}].name`,
        value: name,
        expected: `stage names must be unique; "${name}" is already used by stages[${first}]`,
      });
    } else {
      seen.set(name, index);
    }
    if (retainData && !requireApproval) {
      problems.push({
        path: `stages[${index}].requireApproval`,
        value: requireApproval,
        expected: 'true: a stage that retains data must be approved by a person before it deploys',
      });
    }
    if (project.success) {
      const ctx: NameContext = { project: project.data, stage: name, account, region };
      for (const p of stageNameProblems(ctx)) {
        problems.push({
          path: `stages[${index}].name`,
          value: name,
          expected: `${p.what} "${p.name}" must have ${p.expected}; shorten the project or stage name`,
        });
      }
    }
  });
  problems.push(...connectionProblems(record), ...stagePrefixProblems(stages));
  return problems;
}

/**
 * CodeConnections connections are regional and belong to one account: the pipeline can only use one of its own
 * account and region, so another one fails at the first source action instead of here.
 */
function connectionProblems(record: Record<string, unknown>): ConfigProblem[] {
  const pipeline = platformConfigSchema.shape.pipeline.safeParse(record.pipeline);
  const source = record.source as Record<string, unknown> | undefined;
  const arn = platformConfigSchema.shape.source.shape.connectionArn.safeParse(source?.connectionArn);
  if (!pipeline.success || !arn.success) return [];
  const [, , , region, account] = arn.data.split(':');
  if (account === pipeline.data.account && region === pipeline.data.region) return [];
  return [
    {
      path: 'source.connectionArn',
      value: arn.data,
      expected:
        `a connection of the pipeline account ${pipeline.data.account} in its region ${pipeline.data.region} ` +
        `(this one is in account ${account}, region ${region}); create the connection where the pipelines run`,
    },
  ];
}

/**
 * Resources of a stage are named `<project>-<stage>-...`, and rules and policies select a stage by that prefix
 * (the Glue failure rule matches job names starting with it). Stages "dev" and "dev-eu" would share "dev-", so
 * dev's rule and grants would also reach dev-eu's resources.
 */
function stagePrefixProblems(stages: readonly unknown[]): ConfigProblem[] {
  const names = stages.map((raw) => {
    const stage = stageSchema.shape.name.safeParse((raw as Record<string, unknown> | null)?.name);
    return stage.success ? stage.data : undefined;
  });
  const problems: ConfigProblem[] = [];
  names.forEach((name, index) => {
    if (name === undefined) return;
    const shorter = names.findIndex((other) => other !== undefined && name.startsWith(`${other}-`));
    if (shorter < 0) return;
    problems.push({
      path: `stages[${index}].name`,
      value: name,
      expected:
        `a name that does not start with another stage's name and a hyphen: the resource prefix "${name}-" ` +
        `of this stage starts with "${names[shorter]}-" of stages[${shorter}], so that stage's rules and ` +
        'policies would also match this stage; rename one of them (such as "deveu")',
    });
  });
  return problems;
}

/** Validates a parsed config object; throws a PlatformConfigError listing every problem. */
export function parsePlatformConfig(raw: unknown, source = 'object'): PlatformConfig {
  const problems = [...schemaProblems(raw), ...crossFieldProblems(raw)];
  if (problems.length > 0) throw new PlatformConfigError(source, problems);
  return platformConfigSchema.parse(raw);
}

/** The root of the repository, which the pipelines check out. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** The embedded default config at the root of the repository. */
export const DEFAULT_CONFIG_PATH = path.join(REPOSITORY_ROOT, 'platform.config.json');

/**
 * The config file as a pipeline sees it (a path inside its checkout), or undefined for the embedded default.
 * A file outside the repository cannot be read by the pipeline, so it is refused at synth, not in CodeBuild.
 */
export function pipelineConfigFile(configPath: string): string | undefined {
  const absolute = path.resolve(configPath);
  if (absolute === DEFAULT_CONFIG_PATH) return undefined;
  const relative = path.relative(REPOSITORY_ROOT, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `Config file ${absolute} is outside the repository ${REPOSITORY_ROOT}; the pipeline synthesizes from the ` +
        'repository, so commit the config file inside it (or use the embedded platform.config.json)',
    );
  }
  return relative.split(path.sep).join('/');
}

export interface ConfigLocationOptions {
  /** Value of the CDK context key `config` (`-c config=PATH`). */
  readonly contextPath?: string;
  /** Environment to read `PLATFORM_CONFIG` from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Which file to read: `-c config=PATH`, else `PLATFORM_CONFIG`, else the embedded default. */
export function resolveConfigPath(options: ConfigLocationOptions = {}): string {
  const env = options.env ?? process.env;
  const chosen = options.contextPath ?? env.PLATFORM_CONFIG;
  return chosen ? path.resolve(chosen) : DEFAULT_CONFIG_PATH;
}

/** Reads and validates a config file; any problem (missing file, bad JSON, bad values) throws with all of them. */
export function loadPlatformConfig(options: ConfigLocationOptions = {}): PlatformConfig {
  const file = resolveConfigPath(options);
  if (!existsSync(file)) {
    throw new PlatformConfigError(file, [
      { path: '', value: undefined, expected: 'the config file to exist' },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PlatformConfigError(file, [
      { path: '', value: undefined, expected: `valid JSON (${(e as Error).message})` },
    ]);
  }
  return parsePlatformConfig(raw, file);
}

/** The name context of one stage. */
export const stageContext = (config: PlatformConfig, stageName: string): NameContext => {
  const stage = config.stages.find((s) => s.name === stageName);
  if (!stage) {
    throw new Error(
      `No stage "${stageName}" in the config; stages are: ${config.stages.map((s) => s.name).join(', ')}`,
    );
  }
  return { project: config.project, stage: stage.name, account: stage.account, region: stage.region };
};
