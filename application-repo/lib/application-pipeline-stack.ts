import {
  namePipelineRoles,
  PlatformConfig,
  PlatformPipelineStack,
  StageConfig,
} from '@glue-platform/shared-constructs';
import { StackProps } from 'aws-cdk-lib';
import { Step } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';

import { ApplicationStage } from './application-stage';
import { ExportCheckStep } from './steps/export-check/export-check-step';
import { SmokeTestStep } from './steps/smoke-test/smoke-test-step';
import { StageRoleStep } from './steps/stage-role';

export interface ApplicationPipelineStackProps extends StackProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /**
   * Repository-relative path of the config file the pipeline synthesizes with.
   * @default - the embedded `platform.config.json`
   */
  readonly configFile?: string;
  /**
   * Folder holding one folder per Glue job.
   * @default GLUE_JOBS_DIRECTORY (application-repo/glue-jobs)
   */
  readonly jobsDirectory?: string;
}

/**
 * The application's pipeline, in the pipeline account: the shared platform pipeline deploying one
 * ApplicationStage per configured stage, each preceded by a check of the infrastructure exports it imports
 * and, where the config asks, followed by a smoke test through the stage's trigger and Glue job.
 */
export class ApplicationPipelineStack extends PlatformPipelineStack {
  constructor(scope: Construct, id: string, props: ApplicationPipelineStackProps) {
    const { config, jobsDirectory } = props;
    const stageRoleSteps: StageRoleStep[] = [];
    const track = <T extends StageRoleStep>(step: T): T => {
      stageRoleSteps.push(step);
      return step;
    };
    super(scope, id, {
      ...props,
      app: 'application',
      createStage: (stageScope: Construct, stageId: string, stage: StageConfig) =>
        new ApplicationStage(stageScope, stageId, { config, stage, jobsDirectory }),
      preSteps: (stage: StageConfig): Step[] => [
        track(new ExportCheckStep('CheckInfrastructureExports', { config, stage })),
      ],
      postSteps: (stage: StageConfig): Step[] =>
        stage.smokeTest ? [track(new SmokeTestStep('SmokeTest', { config, stage }))] : [],
    });
    // The stage accounts trust these roles by name: the bootstrap the pipeline and asset roles, the stage roles
    // each step's role (docs/bootstrap.md).
    namePipelineRoles(this.pipeline, config.project, 'application');
    for (const step of stageRoleSteps) step.applyRoleName(this.pipeline);
  }
}
