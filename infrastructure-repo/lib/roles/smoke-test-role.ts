import {
  acknowledgeWildcardResource,
  assetsBucketName,
  DEFAULT_JOB_ID,
  glueJobName,
  inputBucketName,
  NameContext,
  PIPELINE_STEPS,
  S3_PREFIXES,
  SMOKE_TEST_DATASET,
  smokeTestRoleName,
} from '@glue-platform/shared-constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { glueArn, s3ObjectsArn } from '../private/arns';

import { pipelineStepPrincipal } from './pipeline-trust';

export interface SmokeTestRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The stage's data key. */
  readonly key: kms.IKey;
  /** The account of the pipelines; only the smoke-test step's role there may assume this role. */
  readonly pipelineAccount: string;
}

/**
 * The role the application pipeline's smoke test assumes from the pipeline account after a stage deploys: it
 * uploads one CSV of the smoke-test dataset, follows the Glue run and reads the run report (which names the
 * snapshot the run committed; the table's files are Iceberg's to lay out, so the role reads none of them).
 * Nothing else of the stage's data is reachable with it. Created only in stages with `smokeTest: true`.
 */
export class SmokeTestRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeTestRoleProps) {
    super(scope, id);
    const { ctx, key } = props;
    const upload = s3ObjectsArn(inputBucketName(ctx), `${S3_PREFIXES.incoming}${SMOKE_TEST_DATASET}/`);
    const reports = s3ObjectsArn(assetsBucketName(ctx), S3_PREFIXES.reports);

    const statements = [
      new iam.PolicyStatement({ sid: 'UploadSmokeTestFile', actions: ['s3:PutObject'], resources: [upload] }),
      new iam.PolicyStatement({ sid: 'ReadRunReports', actions: ['s3:GetObject'], resources: [reports] }),
      new iam.PolicyStatement({
        sid: 'FollowJobRuns',
        actions: ['glue:GetJobRuns', 'glue:GetJobRun'],
        resources: [glueArn(ctx, `job/${glueJobName(ctx, DEFAULT_JOB_ID)}`)],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
      }),
    ];

    this.role = new iam.Role(this, 'Resource', {
      roleName: smokeTestRoleName(ctx),
      assumedBy: pipelineStepPrincipal(ctx, props.pipelineAccount, PIPELINE_STEPS.smokeTest),
      description: `Assumed from the pipeline account to smoke-test ${ctx.project} stage ${ctx.stage}`,
      inlinePolicies: { SmokeTest: new iam.PolicyDocument({ statements }) },
    });

    const ack = (arn: string, reason: string) => acknowledgeWildcardResource(this.role, arn, reason);
    ack(upload, 'The smoke test uploads a file with a unique key, only under the smoke-test dataset folder.');
    ack(
      reports,
      'The smoke test reads the report of its run; the key carries the run id, unknown in advance.',
    );
  }
}
