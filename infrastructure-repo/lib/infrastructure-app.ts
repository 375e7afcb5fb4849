import {
  addComplianceChecks,
  namePipelineRoles,
  pipelineConfigFile,
  PlatformConfig,
  PlatformPipelineStack,
  pipelineStackName,
} from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';

import { InfrastructureStage } from './infrastructure-stage';

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
  const stack = new PlatformPipelineStack(app, pipelineStackName(config.project, 'infrastructure'), {
    config,
    app: 'infrastructure',
    configFile: options.configPath ? pipelineConfigFile(options.configPath) : undefined,
    createStage: (scope, id, stage) => new InfrastructureStage(scope, id, { config, stage }),
  });
  // The stage accounts' bootstrap trusts these roles by name (docs/bootstrap.md).
  namePipelineRoles(stack.pipeline, config.project, 'infrastructure');
  return stack;
}
