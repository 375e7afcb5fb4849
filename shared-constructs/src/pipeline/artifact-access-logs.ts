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
 * Server access logs for the artifact bucket that the pipelines module creates (and other buckets of the stack): a log bucket (S3-managed keys,
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
    this.logBucket(
      cfnArtifactBucket,
      props.artifactBucket.bucketArn,
      ARTIFACT_LOG_PREFIX,
      'S3LogDeliveryFromArtifactBucket',
    );
  }

  /**
   * Sends the server access logs of another bucket of the pipeline stack here, under its own prefix: one log
   * bucket per stack, each source admitted by its ARN.
   */
  addSourceBucket(source: s3.Bucket, prefix: string, sid: string): void {
    const cfnSource = source.node.defaultChild;
    if (!(cfnSource instanceof s3.CfnBucket)) {
      throw new Error(`${this.node.path}: ${source.node.path} has no CfnBucket to configure logging on`);
    }
    if (!/^[a-z0-9-]+\/$/.test(prefix) || prefix === ARTIFACT_LOG_PREFIX) {
      throw new Error(
        `${this.node.path}: log prefix "${prefix}" must be lowercase words and dashes ending in "/", and not "${ARTIFACT_LOG_PREFIX}"`,
      );
    }
    this.logBucket(cfnSource, source.bucketArn, prefix, sid);
  }

  private logBucket(cfnSource: s3.CfnBucket, sourceArn: string, prefix: string, sid: string): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${prefix}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': sourceArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    cfnSource.loggingConfiguration = {
      destinationBucketName: this.bucket.bucketName,
      logFilePrefix: prefix,
    };
  }
}
