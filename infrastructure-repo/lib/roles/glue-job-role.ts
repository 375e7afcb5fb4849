import {
  acknowledge,
  acknowledgeWildcardResource,
  assetsBucketName,
  fileLedgerTableName,
  fileMetricsNamespace,
  GLUE_CATALOG_ACTIONS,
  glueDatabaseName,
  glueJobRoleName,
  inputBucketName,
  NameContext,
  outputBucketName,
  S3_PREFIXES,
} from '@glue-platform/shared-constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import {
  cdkAssetsBucketName,
  dynamodbTableArn,
  GLUE_LOG_GROUP_PATTERN,
  glueArn,
  logGroupArn,
  s3BucketArn,
  s3ObjectsArn,
} from '../private/arns';

export interface GlueJobRoleProps {
  /** Names of the stage. */
  readonly ctx: NameContext;
  /** The stage's data key. */
  readonly key: kms.IKey;
}

/**
 * The role every Glue job of the stage runs as. The application app imports it immutably (it must not widen
 * it), so everything a job needs is granted here, including reading the job scripts that CDK uploads to the
 * bootstrap asset bucket.
 */
export class GlueJobRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GlueJobRoleProps) {
    super(scope, id);
    const { ctx, key } = props;
    const input = inputBucketName(ctx);
    const output = outputBucketName(ctx);
    const assets = assetsBucketName(ctx);
    const landing = s3ObjectsArn(input, S3_PREFIXES.incoming);
    const curated = s3ObjectsArn(output, '');
    const manifests = s3ObjectsArn(assets, S3_PREFIXES.manifests);
    const reports = s3ObjectsArn(assets, S3_PREFIXES.reports);
    const glueTemp = s3ObjectsArn(assets, S3_PREFIXES.glueTemp);
    const sparkUiLogs = s3ObjectsArn(assets, S3_PREFIXES.sparkUiLogs);
    const scripts = s3ObjectsArn(cdkAssetsBucketName(ctx), '');
    const tables = glueArn(ctx, `table/${glueDatabaseName(ctx)}/*`);
    const logs = logGroupArn(ctx, GLUE_LOG_GROUP_PATTERN);

    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadLandingFiles',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [landing],
      }),
      new iam.PolicyStatement({
        sid: 'ListLandingFiles',
        actions: ['s3:ListBucket'],
        resources: [s3BucketArn(input)],
        conditions: { StringLike: { 's3:prefix': [`${S3_PREFIXES.incoming}*`] } },
      }),
      // The output bucket is the Iceberg warehouse; Iceberg's S3FileIO and Spark's S3A connector work in it.
      new iam.PolicyStatement({
        sid: 'ReadWriteCuratedData',
        actions: [
          // Data, metadata and manifest files are read (GetObject) and probed for their length (HeadObject).
          's3:GetObject',
          // New files; also covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload.
          's3:PutObject',
          // DeleteObject(s): expired snapshots' files, orphan files, the metadata file of a commit that lost.
          's3:DeleteObject',
          // S3FileIO uploads files above 48 MiB in parts and aborts the upload when a part or the commit fails.
          's3:AbortMultipartUpload',
        ],
        resources: [curated],
      }),
      new iam.PolicyStatement({
        sid: 'ListCuratedData',
        // ListObjectsV2 finds orphan files (S3FileIO.listPrefix or S3A); S3A asks the bucket's region.
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [s3BucketArn(output)],
      }),
      new iam.PolicyStatement({ sid: 'ReadManifests', actions: ['s3:GetObject'], resources: [manifests] }),
      new iam.PolicyStatement({ sid: 'WriteRunReports', actions: ['s3:PutObject'], resources: [reports] }),
      new iam.PolicyStatement({
        sid: 'ReadWriteGlueWorkingFiles',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [glueTemp, sparkUiLogs],
      }),
      new iam.PolicyStatement({
        sid: 'ListGlueWorkingFiles',
        actions: ['s3:ListBucket'],
        resources: [s3BucketArn(assets)],
        conditions: {
          StringLike: { 's3:prefix': [`${S3_PREFIXES.glueTemp}*`, `${S3_PREFIXES.sparkUiLogs}*`] },
        },
      }),
      new iam.PolicyStatement({ sid: 'ReadJobScripts', actions: ['s3:GetObject'], resources: [scripts] }),
      // Iceberg's GlueCatalog makes these calls for the jobs; GLUE_CATALOG_ACTIONS says which call needs which.
      new iam.PolicyStatement({
        sid: 'CatalogTablesOfThisDatabase',
        actions: [...GLUE_CATALOG_ACTIONS],
        resources: [glueArn(ctx, 'catalog'), glueArn(ctx, `database/${glueDatabaseName(ctx)}`), tables],
      }),
      new iam.PolicyStatement({
        sid: 'WriteGlueLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [logs],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [key.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'PublishGlueMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      }),
      // file_processor writes each file's terminal state (succeeded, quarantined, failed, skipped) to its item.
      new iam.PolicyStatement({
        sid: 'RecordFileOutcomes',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [dynamodbTableArn(ctx, fileLedgerTableName(ctx))],
      }),
      new iam.PolicyStatement({
        sid: 'PublishFileMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'cloudwatch:namespace': fileMetricsNamespace(ctx.project, ctx.stage) },
        },
      }),
    ];

    this.role = new iam.Role(this, 'Resource', {
      roleName: glueJobRoleName(ctx),
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Runs the Glue jobs of ${ctx.project} stage ${ctx.stage}`,
      inlinePolicies: { JobAccess: new iam.PolicyDocument({ statements }) },
    });

    const ack = (arn: string, reason: string) => acknowledgeWildcardResource(this.role, arn, reason);
    ack(
      landing,
      'A run reads the CSV files its manifest names; they are any objects under incoming/, unknown in advance.',
    );
    ack(
      curated,
      'The output bucket is the Iceberg warehouse of this stage, written only by its jobs: Iceberg names data, ' +
        'metadata and manifest files at commit time under each table location, and whole quarantined files ' +
        'are kept beside them.',
    );
    ack(
      manifests,
      'Manifest keys are created per trigger invocation; the job reads only the manifests/ prefix.',
    );
    ack(reports, 'Report keys carry the run id, unknown in advance; the job writes only under reports/.');
    ack(glueTemp, "Glue's temporary directory: Glue chooses the object keys under glue-temp/ at run time.");
    ack(sparkUiLogs, 'Spark UI event logs: Spark chooses the object keys under spark-ui-logs/ at run time.');
    ack(
      scripts,
      'Job scripts are CDK file assets named by content hash in the bootstrap bucket of this account and region; ' +
        'the application imports this role immutably, so it cannot add a grant for each asset itself.',
    );
    ack(
      tables,
      "Iceberg's GlueCatalog creates and commits one table per uploaded dataset (and its quarantine table) in " +
        'this stage database only, and table maintenance lists them all; table names come from the uploads.',
    );
    ack(
      logs,
      'Glue names its log groups and streams under /aws-glue/ itself (with the security configuration prefix).',
    );
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'cloudwatch:PutMetricData has no resource-level permissions; each statement is limited to one namespace ' +
        "(Glue's own, and the stage's per-dataset file metrics).",
    );
  }
}
