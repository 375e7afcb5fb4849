#!/usr/bin/env node
import { App, Stack, Stage } from 'aws-cdk-lib';
import { addComplianceChecks, loadPlatformConfig, stageContext, stageStackName } from '@glue-platform/shared-constructs';

const app = new App();
const config = loadPlatformConfig({ contextPath: app.node.tryGetContext('config') as string | undefined });
addComplianceChecks(app);

for (const stage of config.stages) {
  const ctx = stageContext(config, stage.name);
  const cdkStage = new Stage(app, stage.name, { env: { account: stage.account, region: stage.region } });
  new Stack(cdkStage, 'DataPlatform', { stackName: stageStackName(ctx, 'infrastructure') });
}
