import {
  manifestKey,
  manifestSchema,
  type Manifest,
  type ManifestObject,
} from '@glue-platform/shared-constructs/contracts';

import { putManifest, s3Uri } from './aws-calls';
import type { Chunk } from './batch-plan';
import type { TriggerClients } from './clients';
import { beforeDeadline, type Deadline } from './deadline';
import type { TriggerConfig } from './trigger-config';

/** Where a chunk's manifest goes; fixed before the claim, which records the manifest id. */
export interface ManifestPlan {
  readonly manifestId: string;
  readonly createdAt: Date;
  readonly key: string;
  readonly uri: string;
}

export const planManifest = (
  chunk: Chunk,
  bucket: string,
  manifestId: string,
  createdAt: Date,
): ManifestPlan => {
  const key = manifestKey(chunk.table, createdAt.toISOString(), manifestId);
  return { manifestId, createdAt, key, uri: s3Uri(bucket, key) };
};

export type ManifestOutcome =
  | { readonly kind: 'written'; readonly manifest: Manifest }
  /** The manifest fails its own schema: a bug or a message no retry can fix. */
  | { readonly kind: 'invalid'; readonly error: unknown }
  | { readonly kind: 'not-written'; readonly error: unknown };

/** Builds the manifest of the claimed objects, checks it against the shared schema and writes it. Never throws. */
export const writeManifestStep = async (
  chunk: Chunk,
  plan: ManifestPlan,
  objects: readonly ManifestObject[],
  config: TriggerConfig,
  clients: TriggerClients,
  deadline: Deadline,
): Promise<ManifestOutcome> => {
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse({
      version: 1,
      manifestId: plan.manifestId,
      dataset: chunk.dataset,
      table: chunk.table,
      createdAt: plan.createdAt.toISOString(),
      objects,
    });
  } catch (error) {
    return { kind: 'invalid', error };
  }
  try {
    await beforeDeadline(deadline, (signal) =>
      putManifest(clients.s3, config.assetsBucketName, plan.key, manifest, signal),
    );
  } catch (error) {
    return { kind: 'not-written', error };
  }
  return { kind: 'written', manifest };
};
