import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  createPlatformApp,
  nagResourceText,
  NameContext,
  parsePlatformConfig,
  PlatformConfig,
  PlatformConfigInput,
  PlatformPipelineStack,
  stageContext,
} from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { DataPlatformStack } from '../../lib/data-platform-stack';
import { buildInfrastructureApp } from '../../lib/infrastructure-app';
import { InfrastructureStage } from '../../lib/infrastructure-stage';

export const DEFAULT_CONFIG: PlatformConfigInput = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', 'platform.config.json'), 'utf8'),
) as PlatformConfigInput;

/** dev, staging behind an approval in another account and region, prod. */
export const THREE_STAGE_CONFIG: PlatformConfigInput = {
  ...DEFAULT_CONFIG,
  stages: [
    { name: 'dev', account: '222222222222', region: 'eu-west-1', smokeTest: true },
    { name: 'staging', account: '222222222222', region: 'eu-central-1', requireApproval: true },
    { name: 'prod', account: '333333333333', region: 'eu-west-1', requireApproval: true, retainData: true },
  ],
};

export interface BuiltInfrastructure {
  readonly app: App;
  readonly config: PlatformConfig;
  readonly pipelineStack: PlatformPipelineStack;
  readonly stage: (name: string) => InfrastructureStage;
  readonly stack: (name: string) => DataPlatformStack;
  readonly template: (name: string) => Template;
  readonly ctx: (name: string) => NameContext;
}

export interface BuildOptions {
  /** Bundle the trigger with esbuild, as `cdk synth` does. Off by default: tests that need no code stay fast. */
  readonly bundle?: boolean;
  readonly extraContext?: Record<string, unknown>;
}

/** The whole infrastructure app on `input`, with templates cached per stage. */
export function buildInfrastructure(
  input: PlatformConfigInput = DEFAULT_CONFIG,
  options: BuildOptions = {},
): BuiltInfrastructure {
  const context = {
    ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    ...options.extraContext,
  };
  const app = createPlatformApp({ context });
  const config = parsePlatformConfig(input);
  const pipelineStack = buildInfrastructureApp(app, { config });
  const stage = (name: string) => pipelineStack.node.findChild(name) as InfrastructureStage;
  const templates = new Map<string, Template>();
  const template = (name: string) => {
    const cached = templates.get(name) ?? Template.fromStack(stage(name).dataPlatform);
    templates.set(name, cached);
    return cached;
  };
  return {
    app,
    config,
    pipelineStack,
    stage,
    stack: (name) => stage(name).dataPlatform,
    template,
    ctx: (name) => stageContext(config, name),
  };
}

/** A policy statement with references written as cdk-nag writes them, and action lists sorted. */
export interface FlatStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: unknown;
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const isIntrinsic = (value: object): boolean =>
  Object.keys(value).some((k) => k === 'Ref' || k.startsWith('Fn::'));

/** Every reference inside `value` written as cdk-nag writes it; the rest kept as is. */
export function flattenDeep(stack: DataPlatformStack, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => flattenDeep(stack, v));
  if (value !== null && typeof value === 'object') {
    if (isIntrinsic(value)) return nagResourceText(stack, value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flattenDeep(stack, v)]));
  }
  return value;
}

export function flatStatements(
  stack: DataPlatformStack,
  statements: Record<string, unknown>[],
): FlatStatement[] {
  return statements.map((s) => ({
    ...(typeof s.Sid === 'string' ? { Sid: s.Sid } : {}),
    Effect: String(s.Effect),
    Action: asList(s.Action).map(String).sort(),
    Resource: asList(s.Resource).map((r) => nagResourceText(stack, r)),
    ...(s.Condition ? { Condition: flattenDeep(stack, s.Condition) } : {}),
  }));
}

/** The CloudFormation logical id of a construct's default resource, as it appears in the template. */
export const logicalIdOf = (
  stack: DataPlatformStack,
  construct: { node: { defaultChild?: unknown } },
): string => {
  const child = construct.node.defaultChild;
  if (!child || typeof child !== 'object') throw new Error('construct has no default resource');
  return stack.getLogicalId(child as Parameters<DataPlatformStack['getLogicalId']>[0]);
};
