import { PlatformConfig, StageConfig, stagePermissionsBoundary } from '@glue-platform/shared-constructs';
import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { DataPlatformStack } from './data-platform-stack';

export interface InfrastructureStageProps extends StageProps {
  /** The whole platform config. */
  readonly config: PlatformConfig;
  /** The stage deployed: its account and region become the Stage's environment. */
  readonly stage: StageConfig;
}

/** What the infrastructure pipeline deploys to one configured stage: its data platform stack. */
export class InfrastructureStage extends Stage {
  readonly dataPlatform: DataPlatformStack;

  constructor(scope: Construct, id: string, props: InfrastructureStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.stage.account, region: props.stage.region },
      // Every role of the stage carries the boundary its bootstrap ships (docs/bootstrap.md).
      permissionsBoundary: stagePermissionsBoundary(props.config.project, props.stage.region),
    });
    this.dataPlatform = new DataPlatformStack(this, 'DataPlatform', {
      config: props.config,
      stage: props.stage,
    });
  }
}
