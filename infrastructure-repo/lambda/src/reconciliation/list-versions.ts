import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';

/** One object version old enough to have reached its end, and recent enough for the ledger to still know it. */
export interface CandidateVersion {
  readonly bucket: string;
  readonly key: string;
  /** Null for an object stored before the bucket kept versions (S3 lists its version id as "null"). */
  readonly versionId: string | null;
  /** Without quotes. */
  readonly eTag: string;
  readonly size: number;
  readonly lastModified: Date;
  /** False for a version that a newer upload of the same key replaced. */
  readonly isLatest: boolean;
}

/** What a listing saw besides the candidates: every version listed is in exactly one of these counts. */
export interface ListingCounts {
  readonly versionsListed: number;
  readonly candidates: number;
  /** Keys ending in `/`: console folders, not uploads. */
  readonly folderMarkers: number;
  /** Younger than the minimum age: possibly still queued or in a run. */
  readonly tooRecent: number;
  /** Older than the ledger retention: their items may have expired, so they cannot be judged. */
  readonly beyondRetention: number;
}

export interface Listing {
  readonly candidates: readonly CandidateVersion[];
  readonly counts: ListingCounts;
  /** Why the listing stopped before the end of the prefix, or null when it reached the end. */
  readonly stoppedEarly: 'version-limit' | 'time-limit' | null;
}

export interface ListOptions {
  readonly bucket: string;
  readonly prefix: string;
  /** Versions modified after this are too recent. */
  readonly newestCandidate: Date;
  /** Versions modified before this are beyond the ledger retention. */
  readonly oldestCandidate: Date;
  readonly maxVersions: number;
  /** False when no further page should be asked for (the invocation is running out of time). */
  readonly timeLeft: () => boolean;
  /** Versions per page. @default 1000 (the S3 maximum) */
  readonly pageSize?: number;
}

const isFolderMarker = (key: string, size: number): boolean => key.endsWith('/') && size === 0;

/**
 * Every object version under the prefix, page by page (ListObjectVersions; delete markers are not uploads and are
 * ignored), sorted into candidates and the counts of what is not one. Stops at the version limit or when time runs
 * out, and says so: a listing that stopped early has not looked at every upload.
 */
export const listCandidateVersions = async (s3: S3Client, options: ListOptions): Promise<Listing> => {
  const candidates: CandidateVersion[] = [];
  const counts = { versionsListed: 0, candidates: 0, folderMarkers: 0, tooRecent: 0, beyondRetention: 0 };
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    if (!options.timeLeft()) return { candidates, counts, stoppedEarly: 'time-limit' };
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: options.bucket,
        Prefix: options.prefix,
        MaxKeys: Math.min(options.pageSize ?? 1000, options.maxVersions - counts.versionsListed),
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const version of page.Versions ?? []) {
      const { Key: key, VersionId: versionId, ETag: eTag, Size: size, LastModified: lastModified } = version;
      if (key === undefined || eTag === undefined || lastModified === undefined) {
        throw new Error(
          `ListObjectVersions of s3://${options.bucket}/${options.prefix} returned a version without a key, ` +
            `ETag or LastModified (key ${key ?? 'missing'}); expected all three on every version`,
        );
      }
      counts.versionsListed += 1;
      const bytes = size ?? 0;
      if (isFolderMarker(key, bytes)) counts.folderMarkers += 1;
      else if (lastModified > options.newestCandidate) counts.tooRecent += 1;
      else if (lastModified < options.oldestCandidate) counts.beyondRetention += 1;
      else {
        counts.candidates += 1;
        candidates.push({
          bucket: options.bucket,
          key,
          versionId: versionId === undefined || versionId === 'null' ? null : versionId,
          eTag: eTag.replace(/"/g, ''),
          size: bytes,
          lastModified,
          isLatest: version.IsLatest ?? true,
        });
      }
    }
    if (!page.IsTruncated) return { candidates, counts, stoppedEarly: null };
    if (counts.versionsListed >= options.maxVersions) {
      return { candidates, counts, stoppedEarly: 'version-limit' };
    }
    if (page.NextKeyMarker === undefined) {
      // Asking again without a marker would list the first page forever.
      throw new Error(
        `ListObjectVersions of s3://${options.bucket}/${options.prefix} said there is more but gave no ` +
          'NextKeyMarker; expected a marker to continue from',
      );
    }
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
};
