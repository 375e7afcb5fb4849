import { PermissionsBoundary } from 'aws-cdk-lib';

import { stagePermissionsBoundaryName } from './naming';

/**
 * The boundary every IAM role of a stage's stacks carries: the managed policy the stage bootstrap template
 * (`bootstrap/stage-bootstrap.template.json`) creates in the stage's account and region. The bootstrap's
 * execution policy refuses to create a role without it, so a template cannot mint a role stronger than it.
 */
export const stagePermissionsBoundary = (project: string, region: string): PermissionsBoundary =>
  PermissionsBoundary.fromName(stagePermissionsBoundaryName(project, region));
