#!/usr/bin/env node
import * as path from 'node:path';

import {
  addComplianceChecks,
  DEFAULT_CONFIG_PATH,
  loadPlatformConfig,
  resolveConfigPath,
} from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';

import { ApplicationPipelineStack } from '../lib/application-pipeline-stack';

/** The repository root: the pipeline names the config file relative to it. */
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

const app = new App();
const contextPath = app.node.tryGetContext('config') as string | undefined;
const config = loadPlatformConfig({ contextPath });
addComplianceChecks(app);

const configPath = resolveConfigPath({ contextPath });
const configFile =
  configPath === DEFAULT_CONFIG_PATH ? undefined : path.relative(REPOSITORY_ROOT, configPath);
if (configFile?.startsWith('..') || (configFile !== undefined && path.isAbsolute(configFile))) {
  throw new Error(
    `Config file ${configPath} is outside the repository; the pipeline synthesizes from a clone of the ` +
      'repository, so commit the config file inside it and pass that path with -c config=PATH',
  );
}

new ApplicationPipelineStack(app, 'ApplicationPipeline', { config, configFile });
