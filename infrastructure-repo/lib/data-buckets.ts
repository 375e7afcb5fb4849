import {
  accessLogsBucketName,
  assetsBucketName,
  inputBucketName,
  NameContext,
  outputBucketName,
  S3_PREFIXES,
} from '@glue-platform/shared-constructs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { RECONCILIATION_REPORT_PREFIX } from '../lambda/src/reconciliation/report-location';

export interface DataBucketsProps {
  /** Names of the stage the buckets belong to. */
  readonly ctx: NameContext;
  /** Encrypts the input, output and assets buckets. */
  readonly key: kms.IKey;
  /** Keep the buckets and their objects when the stack is deleted. */
  readonly retainData: boolean;
  /** How long an uploaded CSV stays under `incoming/` once processed. @default Duration.days(30) */
  readonly landingRetention?: Duration;
  /** How long overwritten or deleted object versions are kept. @default Duration.days(30) */
  readonly noncurrentVersionRetention?: Duration;
  /** How long server access logs are kept. @default Duration.days(365) */
  readonly accessLogRetention?: Duration;
}

const S3_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** The four buckets of a stage: input (landing), output (data lake), assets (Glue's working files) and access logs. */
export class DataBuckets extends Construct {
  readonly input: s3.Bucket;
  readonly output: s3.Bucket;
  readonly assets: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataBucketsProps) {
    super(scope, id);
    // Log delivery by bucket policy (not the legacy ACL, which a bucket-owner-enforced bucket refuses), whether or
    // not the app's cdk.json sets the flag.
    this.node.setContext(S3_LOGS_USE_BUCKET_POLICY, true);
    const { ctx } = props;
    const noncurrent = props.noncurrentVersionRetention ?? Duration.days(30);
    const housekeeping: s3.LifecycleRule = {
      id: 'housekeeping',
      noncurrentVersionExpiration: noncurrent,
      abortIncompleteMultipartUploadAfter: Duration.days(7),
      expiredObjectDeleteMarker: true,
    };
    const common: s3.BucketProps = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.retainData,
    };

    // Server access logging cannot deliver to a KMS-encrypted bucket, hence S3-managed keys here.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      bucketName: accessLogsBucketName(ctx),
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        housekeeping,
        { id: 'expire-logs', expiration: props.accessLogRetention ?? Duration.days(365) },
      ],
    });

    const dataBucket = (id: string, bucketName: string, lifecycleRules: s3.LifecycleRule[]): s3.Bucket =>
      new s3.Bucket(this, id, {
        ...common,
        bucketName,
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: props.key,
        bucketKeyEnabled: true,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${bucketName}/`,
        lifecycleRules: [housekeeping, ...lifecycleRules],
      });

    this.input = dataBucket('Input', inputBucketName(ctx), [
      {
        id: 'expire-landing',
        prefix: S3_PREFIXES.incoming,
        expiration: props.landingRetention ?? Duration.days(30),
      },
    ]);
    this.output = dataBucket('Output', outputBucketName(ctx), []);
    this.assets = dataBucket('Assets', assetsBucketName(ctx), [
      { id: 'expire-glue-temp', prefix: S3_PREFIXES.glueTemp, expiration: Duration.days(7) },
      { id: 'expire-spark-ui-logs', prefix: S3_PREFIXES.sparkUiLogs, expiration: Duration.days(30) },
      { id: 'expire-manifests', prefix: S3_PREFIXES.manifests, expiration: Duration.days(90) },
      // One reconciliation report per scheduled run (hourly by default); older ones have served their purpose.
      {
        id: 'expire-reconciliation-reports',
        prefix: RECONCILIATION_REPORT_PREFIX,
        expiration: Duration.days(90),
      },
    ]);
  }
}
