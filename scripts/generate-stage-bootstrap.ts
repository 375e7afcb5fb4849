/**
 * Writes the stage accounts' bootstrap template, bootstrap/stage-bootstrap.template.json, from the bootstrap
 * template of the pinned CDK CLI and the platform config (its project and pipeline account become the template's
 * parameter defaults). Run after upgrading aws-cdk or changing the config's project or pipeline account:
 *
 *   npx tsx scripts/generate-stage-bootstrap.ts [config file]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  CfnTemplate,
  loadPlatformConfig,
  REPOSITORY_ROOT,
  stageBootstrapTemplate,
} from '@glue-platform/shared-constructs';
import { format, resolveConfig } from 'prettier';

/** Where the generated template is committed. */
export const STAGE_BOOTSTRAP_TEMPLATE = path.join(
  REPOSITORY_ROOT,
  'bootstrap',
  'stage-bootstrap.template.json',
);

/** CDK's own bootstrap template, as the pinned CLI prints it (offline). */
export function cdkBootstrapTemplate(): CfnTemplate {
  const cli = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'cdk');
  const json = execFileSync(cli, ['bootstrap', '--show-template', '--json'], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  return JSON.parse(json) as CfnTemplate;
}

async function main(): Promise<void> {
  const config = loadPlatformConfig({ contextPath: process.argv[2] });
  const template = stageBootstrapTemplate(cdkBootstrapTemplate(), {
    project: config.project,
    pipelineAccount: config.pipeline.account,
  });
  // Formatted as the repository's prettier check expects, so a regenerated file needs no second step.
  const options = await resolveConfig(STAGE_BOOTSTRAP_TEMPLATE);
  const text = await format(JSON.stringify(template), { ...options, filepath: STAGE_BOOTSTRAP_TEMPLATE });
  writeFileSync(STAGE_BOOTSTRAP_TEMPLATE, text);
  console.log(`wrote ${path.relative(REPOSITORY_ROOT, STAGE_BOOTSTRAP_TEMPLATE)}`);
}

void main();
