// zod/mini, as the other contracts: the smoke test embeds the contracts bundle, where classic zod adds ~450 KB.
import * as z from 'zod/mini';

import { S3_PREFIXES } from '../naming';

/**
 * The manifest: what the trigger hands a Glue run. One per dataset per trigger invocation, written as JSON to
 * the assets bucket; the Glue job reads it (Python side: `glue-jobs/file_processor/.../manifest.py`). The fixture
 * `shared-constructs/fixtures/manifest.json` is what the trigger writes for two uploads (checked by
 * `infrastructure-repo/lambda/test/manifest-fixture.test.ts`), satisfies this schema, and is parsed by the job's
 * tests, so both sides agree. It lives among the contracts because the trigger Lambda bundles it: this module and
 * `../naming` (plain constants) import nothing from aws-cdk-lib.
 */
export const MANIFEST_VERSION = 1;

/** Glue job argument that carries the manifest's `s3://` URI. */
export const MANIFEST_JOB_ARGUMENT = '--manifest';

/** Where a trigger Lambda finds uploads: `incoming/<dataset>/...` in the input bucket. */
export const INCOMING_PREFIX = S3_PREFIXES.incoming;

/** A dataset is the first folder under `incoming/`; this is what a folder name may be. */
export const DATASET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const isoTimestamp = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 timestamp' });

/**
 * Glue and Athena table names: lowercase letters, digits and underscores.
 * Runs of other characters fold into one underscore, so a table name never holds `__` (the job names its
 * quarantine table `<table>__quarantine`).
 */
export const datasetTableName = (dataset: string): string =>
  dataset
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'dataset';

const text = (min: number) => z.string().check(z.minLength(min));

export const manifestObjectSchema = z.strictObject({
  bucket: text(3),
  /** Decoded key (no URL escapes). */
  key: text(1),
  /** Null when the bucket is not versioned. */
  versionId: z.nullable(text(1)),
  eTag: text(1),
  size: z.int().check(z.nonnegative()),
  /** When S3 saw the upload (the job partitions by its own processing day, not by this). */
  eventTime: isoTimestamp,
});

export const manifestSchema = z
  .strictObject({
    version: z.literal(MANIFEST_VERSION),
    /** Unique per manifest; also the file name. */
    manifestId: z.string().check(z.regex(/^[A-Za-z0-9_.-]+$/)),
    /** Folder name under `incoming/` as uploaded. */
    dataset: z.string().check(z.regex(DATASET_PATTERN)),
    /** Glue table (and output prefix) name derived from the dataset with `datasetTableName`. */
    table: z.string().check(z.regex(/^[a-z0-9_]+$/)),
    createdAt: isoTimestamp,
    objects: z.array(manifestObjectSchema).check(z.minLength(1)),
  })
  .check(
    z.refine((manifest) => manifest.table === datasetTableName(manifest.dataset), {
      path: ['table'],
      error: 'expected the table name datasetTableName derives from the dataset',
    }),
  );

export type ManifestObject = z.infer<typeof manifestObjectSchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** Where a manifest is written in the assets bucket: grouped by table and UTC day for operators. */
export const manifestKey = (table: string, createdAt: string, manifestId: string): string =>
  `${S3_PREFIXES.manifests}${table}/${createdAt.slice(0, 10)}/${manifestId}.json`;
