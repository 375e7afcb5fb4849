import { NameContext } from '@glue-platform/shared-constructs';
import { Aws, DefaultStackSynthesizer } from 'aws-cdk-lib';

/**
 * ARNs built from the physical names of `naming`. Policies name buckets, jobs and log groups that may not exist
 * yet (a job is deployed by the application app later) or that live outside this stack, so they are derived
 * from the same names everyone else uses rather than from construct references.
 */
export const s3BucketArn = (bucketName: string): string => `arn:${Aws.PARTITION}:s3:::${bucketName}`;

/** Objects under `prefix` (such as `incoming/`) in a bucket. */
export const s3ObjectsArn = (bucketName: string, prefix: string): string =>
  `${s3BucketArn(bucketName)}/${prefix}*`;

export const glueArn = (ctx: NameContext, resource: string): string =>
  `arn:${Aws.PARTITION}:glue:${ctx.region}:${ctx.account}:${resource}`;

/** A DynamoDB table of the stage; `table/<name>/index/*` are its indexes. */
export const dynamodbTableArn = (ctx: NameContext, tableName: string): string =>
  `arn:${Aws.PARTITION}:dynamodb:${ctx.region}:${ctx.account}:table/${tableName}`;

export const logGroupArn = (ctx: NameContext, logGroupName: string): string =>
  `arn:${Aws.PARTITION}:logs:${ctx.region}:${ctx.account}:log-group:${logGroupName}`;

/** The file-asset bucket that `cdk bootstrap` creates with the default qualifier in the stage's account. */
export const cdkAssetsBucketName = (ctx: NameContext): string =>
  `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${ctx.account}-${ctx.region}`;

/** Log groups that Glue jobs write to: `/aws-glue/jobs/...`, with the security configuration's prefix. */
export const GLUE_LOG_GROUP_PATTERN = '/aws-glue/*';
