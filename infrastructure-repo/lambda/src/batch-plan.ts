import { datasetTableName, type ManifestObject } from '@glue-platform/shared-constructs/contracts';

import type { AcceptedObject } from './s3-notification';

/** A message of the batch with the objects it asks the trigger to process (all in one dataset). */
export interface MessageWork {
  readonly messageId: string;
  readonly dataset: string;
  readonly objects: readonly ManifestObject[];
}

/**
 * What becomes one manifest and one Glue run. Every message of a chunk is acknowledged if and only if the run
 * starts, so a message's objects are never split over two runs.
 */
export interface Chunk {
  readonly dataset: string;
  readonly table: string;
  readonly messageIds: readonly string[];
  readonly objects: readonly ManifestObject[];
  /** Sum of the objects' sizes. */
  readonly bytes: number;
  /**
   * True when one group of linked messages alone exceeds a cap, by objects or by bytes (it is never split, see
   * planChunks); a single object larger than the byte cap is the usual case.
   */
  readonly oversized: boolean;
}

export interface ChunkPlan {
  readonly chunks: readonly Chunk[];
  readonly duplicatesDropped: number;
}

/** Same object version: bucket, key and version id, or the ETag when the bucket is not versioned. */
export const objectIdentity = (object: ManifestObject): string =>
  JSON.stringify([object.bucket, object.key, object.versionId ?? `etag:${object.eTag}`]);

/** Messages that share an object (a duplicate notification) must share a run; union-find links them. */
class MessageLinks {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, index) => index);
  }

  find(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root];
    let node = index;
    while (this.parent[node] !== root) {
      const next = this.parent[node];
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  }
}

interface LinkedGroup {
  readonly messageIds: string[];
  readonly objects: ManifestObject[];
}

/** Groups one dataset's messages so that duplicates of one object version stay together, in arrival order. */
const linkedGroups = (works: readonly MessageWork[]): { groups: LinkedGroup[]; duplicates: number } => {
  const links = new MessageLinks(works.length);
  const firstHolder = new Map<string, number>();
  works.forEach((work, index) => {
    for (const object of work.objects) {
      const identity = objectIdentity(object);
      const holder = firstHolder.get(identity);
      if (holder === undefined) firstHolder.set(identity, index);
      else links.union(holder, index);
    }
  });
  const byRoot = new Map<number, LinkedGroup>();
  const seen = new Set<string>();
  let duplicates = 0;
  works.forEach((work, index) => {
    const root = links.find(index);
    let group = byRoot.get(root);
    if (!group) {
      group = { messageIds: [], objects: [] };
      byRoot.set(root, group);
    }
    group.messageIds.push(work.messageId);
    for (const object of work.objects) {
      const identity = objectIdentity(object);
      if (seen.has(identity)) duplicates += 1;
      else {
        seen.add(identity);
        group.objects.push(object);
      }
    }
  });
  return { groups: [...byRoot.values()], duplicates };
};

const sizeOf = (objects: readonly ManifestObject[]): number =>
  objects.reduce((total, object) => total + object.size, 0);

/**
 * Micro-batching: one chunk per dataset, split when the next group of linked messages would take it over
 * `maxObjectsPerManifest` objects or `maxBytesPerManifest` bytes (the byte cap keeps a run within its job's
 * timeout; see DEFAULT_MAX_BYTES_PER_MANIFEST). Splits fall only between groups of linked messages; a single
 * group over either cap (an object larger than the byte cap, or a hand-made message with thousands of records)
 * becomes one oversized chunk of its own rather than be split or dropped, because splitting it could start one
 * run and fail the other, and the retried message would hand its first half to a second run.
 */
export const planChunks = (
  works: readonly MessageWork[],
  maxObjectsPerManifest: number,
  maxBytesPerManifest: number = Number.POSITIVE_INFINITY,
): ChunkPlan => {
  const byDataset = new Map<string, MessageWork[]>();
  for (const work of works) {
    const list = byDataset.get(work.dataset) ?? [];
    list.push(work);
    byDataset.set(work.dataset, list);
  }
  const chunks: Chunk[] = [];
  let duplicatesDropped = 0;
  for (const [dataset, datasetWorks] of byDataset) {
    const { groups, duplicates } = linkedGroups(datasetWorks);
    duplicatesDropped += duplicates;
    const table = datasetTableName(dataset);
    let messageIds: string[] = [];
    let objects: ManifestObject[] = [];
    let bytes = 0;
    const flush = (): void => {
      if (messageIds.length === 0) return;
      const oversized = objects.length > maxObjectsPerManifest || bytes > maxBytesPerManifest;
      chunks.push({ dataset, table, messageIds, objects, bytes, oversized });
      messageIds = [];
      objects = [];
      bytes = 0;
    };
    for (const group of groups) {
      const groupBytes = sizeOf(group.objects);
      const overCap =
        objects.length + group.objects.length > maxObjectsPerManifest ||
        bytes + groupBytes > maxBytesPerManifest;
      if (objects.length > 0 && overCap) flush();
      messageIds.push(...group.messageIds);
      objects.push(...group.objects);
      bytes += groupBytes;
    }
    flush();
  }
  return { chunks, duplicatesDropped };
};

/** The datasets of a message's accepted objects, in first-seen order. */
export const datasetsOf = (accepted: readonly AcceptedObject[]): string[] => [
  ...new Set(accepted.map((item) => item.dataset)),
];
