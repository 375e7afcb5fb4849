#!/usr/bin/env node
import {
  addComplianceChecks,
  createPlatformApp,
  loadPlatformConfig,
  pipelineConfigFile,
  pipelineStackName,
  resolveConfigPath,
} from '@glue-platform/shared-constructs';

import { ApplicationPipelineStack } from '../lib/application-pipeline-stack';

const app = createPlatformApp();
const contextPath = app.node.tryGetContext('config') as string | undefined;
const config = loadPlatformConfig({ contextPath });
addComplianceChecks(app);

new ApplicationPipelineStack(app, pipelineStackName(config.project, 'application'), {
  config,
  configFile: pipelineConfigFile(resolveConfigPath({ contextPath })),
});
