import * as path from 'node:path';

import {
  addComplianceChecks,
  DEFAULT_CONFIG_PATH,
  PlatformConfig,
  PlatformPipelineStack,
  pipelineStackName,
} from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';

import { InfrastructureStage } from './infrastructure-stage';

/** The root of the repository, which the pipeline checks out. */
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The config file as the pipeline sees it (a path inside the checkout), or undefined for the embedded default.
 * A file outside the repository cannot be read by the pipeline, so it is refused here rather than in CodeBuild.
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

export interface InfrastructureAppOptions {
  /** The validated config. */
  readonly config: PlatformConfig;
  /** The file the config was read from, so the pipeline synthesizes with the same one. @default the embedded one */
  readonly configPath?: string;
}

/**
 * The infrastructure app: cdk-nag on every stack, and the pipeline stack (pipeline account) with one
 * InfrastructureStage per configured stage.
 */
export function buildInfrastructureApp(app: App, options: InfrastructureAppOptions): PlatformPipelineStack {
  const { config } = options;
  addComplianceChecks(app);
  return new PlatformPipelineStack(app, pipelineStackName(config.project, 'infrastructure'), {
    config,
    app: 'infrastructure',
    configFile: options.configPath ? pipelineConfigFile(options.configPath) : undefined,
    createStage: (scope, id, stage) => new InfrastructureStage(scope, id, { config, stage }),
  });
}
