import {
  PlatformConfig,
  stageContext,
  StageConfig,
  stagePermissionsBoundary,
  stageStackName,
} from '@glue-platform/shared-constructs';
import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { ApplicationStack } from './application-stack';
import { DatasetDefinition } from './dataset-definition';
import { DATASET_REGISTRY } from './dataset-registry';
import { GLUE_JOBS_DIRECTORY, GlueJobDefinition } from './job-definition';
import { JOB_REGISTRY } from './job-registry';
import { validateDatasetRegistry } from './validate-dataset-registry';
import { validateJobRegistry } from './validate-job-registry';

export interface ApplicationStageProps extends StageProps {
  /** The validated platform config. */
  readonly config: PlatformConfig;
  /** The stage to deploy; the Stage lands in its account and region. */
  readonly stage: StageConfig;
  /**
   * Glue jobs to deploy; validated against `jobsDirectory` before any resource is made.
   * @default JOB_REGISTRY
   */
  readonly jobs?: readonly GlueJobDefinition[];
  /**
   * Folder holding one folder per job.
   * @default GLUE_JOBS_DIRECTORY (application-repo/glue-jobs)
   */
  readonly jobsDirectory?: string;
  /**
   * Datasets with settings of their own, deployed with `file_processor`; validated before any resource is made.
   * @default DATASET_REGISTRY
   */
  readonly datasets?: readonly DatasetDefinition[];
}

/** The application of one stage: its Glue jobs stack, in the stage's account and region. */
export class ApplicationStage extends Stage {
  readonly stack: ApplicationStack;

  constructor(scope: Construct, id: string, props: ApplicationStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.stage.account, region: props.stage.region },
      // Every role of the stage carries the boundary its bootstrap ships (docs/bootstrap.md).
      permissionsBoundary: stagePermissionsBoundary(props.config.project, props.stage.region),
    });
    const context = stageContext(props.config, props.stage.name);
    const jobsDirectory = props.jobsDirectory ?? GLUE_JOBS_DIRECTORY;
    this.stack = new ApplicationStack(this, 'GlueJobs', {
      stackName: stageStackName(context, 'application'),
      description: `Glue jobs of the ${props.stage.name} stage (${props.config.project})`,
      context,
      stage: props.stage,
      jobs: validateJobRegistry(props.jobs ?? JOB_REGISTRY, jobsDirectory),
      jobsDirectory,
      datasets: validateDatasetRegistry(props.datasets ?? DATASET_REGISTRY),
      tableMaintenance: props.config.tableMaintenance,
      fileLedger: props.config.fileLedger,
      terminationProtection: props.stage.retainData,
    });
  }
}
