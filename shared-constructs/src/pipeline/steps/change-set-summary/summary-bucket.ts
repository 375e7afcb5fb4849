import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ChangeSetSummaryBucketProps {
  /** How long a summary is kept after its execution. @default Duration.days(90) */
  readonly retention?: Duration;
}

/**
 * Where the change-set summaries go, in the pipeline account: one HTML object per execution and stage, opened by
 * the approver from the approval's review link. Summaries describe what a release changed; they are kept for a
 * while after it for audits, then expire.
 */
export class ChangeSetSummaryBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: ChangeSetSummaryBucketProps = {}) {
    super(scope, id, {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          expiration: props.retention ?? Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
