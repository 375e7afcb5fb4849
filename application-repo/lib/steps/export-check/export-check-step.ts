import * as path from 'node:path';

import {
  exportCheckRoleName,
  PIPELINE_STEPS,
  PlatformConfig,
  stageContext,
  StageConfig,
  stageStackName,
} from '@glue-platform/shared-constructs';
import { embeddedScriptCommands } from '@glue-platform/shared-constructs/src/pipeline/steps/embedded-script';
import { Duration } from 'aws-cdk-lib';

import { applicationImportNames } from '../../contract-imports';
import { StageRoleStep } from '../stage-role';
import { STEP_ENV } from '../step-env';

export interface ExportCheckStepProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /** The stage about to deploy. */
  readonly stage: StageConfig;
}

/**
 * Before an application stage deploys: checks, as the stage's export-check role (which may only list exports),
 * that every export the application stack imports exists in the stage's account and region. A missing export
 * fails this step with the names and the stack to deploy first, instead of a CloudFormation rollback halfway
 * through the stage. The script it runs is `run-export-check.ts` beside this file.
 */
export class ExportCheckStep extends StageRoleStep {
  /** Export names checked, generated from the contract keys the application stack imports. */
  readonly expectedExports: readonly string[];

  constructor(id: string, props: ExportCheckStepProps) {
    const ctx = stageContext(props.config, props.stage.name);
    const expectedExports = applicationImportNames(ctx);
    super(id, {
      ctx,
      step: PIPELINE_STEPS.exportCheck,
      stageRoleName: exportCheckRoleName(ctx),
      commands: embeddedScriptCommands(path.join(__dirname, 'run-export-check.ts'), 'run-export-check.js'),
      env: {
        [STEP_ENV.expectedExports]: expectedExports.join(','),
        [STEP_ENV.infrastructureStack]: stageStackName(ctx, 'infrastructure'),
      },
      timeout: Duration.minutes(10),
    });
    this.expectedExports = expectedExports;
  }
}
