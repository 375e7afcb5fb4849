import { PlatformConfig, stageContext, StageConfig, stageStackName } from '@glue-platform/shared-constructs';
import { Duration } from 'aws-cdk-lib';
import { CodeBuildStep } from 'aws-cdk-lib/pipelines';

import { STEP_ENV } from '../scripts/step-env';

import { applicationImportNames } from './contract-imports';
import { embeddedScriptCommands } from './private/embedded-script';
import { stageRoleStepProps } from './stage-role';

export interface ExportCheckStepProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /** The stage about to deploy. */
  readonly stage: StageConfig;
}

/**
 * Before an application stage deploys: checks, as the stage's smoke-test role, that every export the
 * application stack imports exists in the stage's account and region. A missing export fails this step with
 * the names and the stack to deploy first, instead of a CloudFormation rollback halfway through the stage.
 */
export class ExportCheckStep extends CodeBuildStep {
  /** Export names checked, generated from the contract keys the application stack imports. */
  readonly expectedExports: readonly string[];

  constructor(id: string, props: ExportCheckStepProps) {
    const ctx = stageContext(props.config, props.stage.name);
    const asStageRole = stageRoleStepProps(ctx);
    const expectedExports = applicationImportNames(ctx);
    super(id, {
      commands: embeddedScriptCommands('run-export-check'),
      env: {
        ...asStageRole.env,
        [STEP_ENV.expectedExports]: expectedExports.join(','),
        [STEP_ENV.infrastructureStack]: stageStackName(ctx, 'infrastructure'),
      },
      rolePolicyStatements: asStageRole.rolePolicyStatements,
      timeout: Duration.minutes(10),
    });
    this.expectedExports = expectedExports;
  }
}
