#!/usr/bin/env node
import { createPlatformApp, loadPlatformConfig, resolveConfigPath } from '@glue-platform/shared-constructs';

import { buildInfrastructureApp } from '../lib/infrastructure-app';

const app = createPlatformApp();
const contextPath = app.node.tryGetContext('config') as string | undefined;
const config = loadPlatformConfig({ contextPath });
buildInfrastructureApp(app, { config, configPath: resolveConfigPath({ contextPath }) });
