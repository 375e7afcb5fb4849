import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ArtifactAccessLogsProps {
  /** The pipeline's artifact bucket (created by CDK): its server access logs go to the new bucket. */
  readonly artifactBucket: s3.IBucket;
  /** How long the logs are kept. @default Duration.days(365) */
  readonly retention?: Duration;
}

/** Key prefix of the artifact bucket's logs in the log bucket. */
export const ARTIFACT_LOG_PREFIX = 'artifacts/';

/**
 * Server access logs for the artifact bucket that the pipelines module creates: a log bucket (S3-managed keys,
 * as log delivery requires) and the bucket's `LoggingConfiguration`, set at the CloudFormation level because
 * the module does not expose the bucket's props.
 */
export class ArtifactAccessLogs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactAccessLogsProps) {
    super(scope, id);
    const cfnArtifactBucket = props.artifactBucket.node.defaultChild;
    if (!(cfnArtifactBucket instanceof s3.CfnBucket)) {
      throw new Error(
        `${this.node.path}: the artifact bucket is imported; give it access logs where it is defined`,
      );
    }
    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          expiration: props.retention ?? Duration.days(365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'S3LogDeliveryFromArtifactBucket',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${ARTIFACT_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': props.artifactBucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    cfnArtifactBucket.loggingConfiguration = {
      destinationBucketName: this.bucket.bucketName,
      logFilePrefix: ARTIFACT_LOG_PREFIX,
    };
  }
}
