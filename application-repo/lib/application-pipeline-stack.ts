import { PlatformConfig, PlatformPipelineStack, StageConfig } from '@glue-platform/shared-constructs';
import { StackProps } from 'aws-cdk-lib';
import { Step } from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';

import { ApplicationStage } from './application-stage';
import { ExportCheckStep } from './export-check-step';
import { SmokeTestStep } from './smoke-test-step';

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
    super(scope, id, {
      ...props,
      app: 'application',
      createStage: (stageScope: Construct, stageId: string, stage: StageConfig) =>
        new ApplicationStage(stageScope, stageId, { config, stage, jobsDirectory }),
      preSteps: (stage: StageConfig): Step[] => [
        new ExportCheckStep('CheckInfrastructureExports', { config, stage }),
      ],
      postSteps: (stage: StageConfig): Step[] =>
        stage.smokeTest ? [new SmokeTestStep('SmokeTest', { config, stage })] : [],
    });
  }
}
