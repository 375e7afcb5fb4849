#!/usr/bin/env node
import { loadPlatformConfig, resolveConfigPath } from '@glue-platform/shared-constructs';
import { App } from 'aws-cdk-lib';

import { buildInfrastructureApp } from '../lib/infrastructure-app';

const app = new App();
const contextPath = app.node.tryGetContext('config') as string | undefined;
const config = loadPlatformConfig({ contextPath });
buildInfrastructureApp(app, { config, configPath: resolveConfigPath({ contextPath }) });
