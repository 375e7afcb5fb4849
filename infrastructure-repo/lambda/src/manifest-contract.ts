/**
 * The manifest contract, imported from its own module rather than the package index: the index also exports
 * the CDK helpers (config loader, export contract), which would pull aws-cdk-lib into the Lambda bundle.
 */
export {
  DATASET_PATTERN,
  MANIFEST_JOB_ARGUMENT,
  datasetTableName,
  manifestKey,
  manifestSchema,
} from '@glue-platform/shared-constructs/src/manifest';
export type { Manifest, ManifestObject } from '@glue-platform/shared-constructs/src/manifest';
export { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';
