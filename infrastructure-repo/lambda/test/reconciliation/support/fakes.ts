import { readFileSync } from 'node:fs';

import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandInput,
  type ObjectVersion,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { type LedgerItem, parseLedgerItem } from '@glue-platform/shared-constructs/contracts';
import { mockClient } from 'aws-sdk-client-mock';

export const s3Mock = mockClient(S3Client);
export const dynamodbMock = mockClient(DynamoDBClient);

export const INPUT_BUCKET = 'glue-etl-dev-input-222222222222-eu-west-1';
export const ASSETS_BUCKET = 'glue-etl-dev-assets-222222222222-eu-west-1';
export const LEDGER_TABLE = 'glue-etl-dev-file-ledger';

/** The shared fixture: one ledger item of every status, each checked against the contract. */
export const fixtureLedgerItems = (): LedgerItem[] => {
  const file = require.resolve('@glue-platform/shared-constructs/fixtures/ledger-items.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).map((item, i) =>
    parseLedgerItem(item, `ledger-items.json[${i}]`),
  );
};

/** An object version as ListObjectVersions lists it, with ETag in quotes. */
export interface BucketVersion {
  readonly key: string;
  readonly versionId: string;
  readonly eTag: string;
  readonly size?: number;
  readonly lastModified: Date;
  readonly isLatest?: boolean;
}

/** The version of a ledger item as S3 lists it (the fixture's `etag:` items have the S3 version id "null"). */
export const versionOfItem = (item: LedgerItem, lastModified: Date): BucketVersion => ({
  key: item.key,
  versionId: item.versionId ?? 'null',
  eTag: `"${item.eTag}"`,
  size: item.size,
  lastModified,
});

/**
 * The input bucket: answers ListObjectVersions from `versions` as S3 does, in key order (newest version first
 * within a key), `MaxKeys` per page, continuing after KeyMarker / VersionIdMarker. Delete markers are listed
 * separately, as S3 lists them.
 */
export const fakeBucket = (
  versions: readonly BucketVersion[],
  deleteMarkers: readonly { key: string; versionId: string }[] = [],
): void => {
  const sorted = [...versions].sort(
    (a, b) => a.key.localeCompare(b.key) || b.lastModified.getTime() - a.lastModified.getTime(),
  );
  s3Mock.on(ListObjectVersionsCommand).callsFake((input: ListObjectVersionsCommandInput) => {
    if (input.Bucket !== INPUT_BUCKET) throw new Error(`listed ${input.Bucket}`);
    const listed = sorted.filter((v) => v.key.startsWith(input.Prefix ?? ''));
    let start = 0;
    if (input.KeyMarker !== undefined) {
      const at = listed.findIndex((v) => v.key === input.KeyMarker && v.versionId === input.VersionIdMarker);
      if (at < 0) throw new Error(`no version ${input.KeyMarker} ${input.VersionIdMarker} to continue after`);
      start = at + 1;
    }
    const page = listed.slice(start, start + (input.MaxKeys ?? 1000));
    const last = page[page.length - 1];
    const truncated = start + page.length < listed.length;
    const Versions: ObjectVersion[] = page.map((v) => ({
      Key: v.key,
      VersionId: v.versionId,
      ETag: v.eTag,
      Size: v.size ?? 100,
      LastModified: v.lastModified,
      IsLatest: v.isLatest ?? true,
    }));
    return Promise.resolve({
      Versions,
      DeleteMarkers: start === 0 ? deleteMarkers.map((m) => ({ Key: m.key, VersionId: m.versionId })) : [],
      IsTruncated: truncated,
      ...(truncated ? { NextKeyMarker: last.key, NextVersionIdMarker: last.versionId } : {}),
    });
  });
  s3Mock.on(PutObjectCommand).resolves({});
};

type StoredItem = Pick<LedgerItem, 'objectKey' | 'version' | 'status' | 'updatedAt' | 'jobRunId'>;

export interface FakeLedgerOptions {
  /** Keys the table leaves unprocessed on their first N requests. */
  readonly unprocessedTimes?: number;
}

/**
 * The ledger table: answers BatchGetItem from `items` by key, refusing (as DynamoDB does) more than 100 keys or a
 * repeated key in one call, and projecting only what was asked for.
 */
export const fakeLedger = (items: readonly StoredItem[], options: FakeLedgerOptions = {}): void => {
  const byKey = new Map(items.map((item) => [`${item.objectKey}|${item.version}`, item]));
  const seen = new Map<string, number>();
  dynamodbMock.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
    const request = input.RequestItems?.[LEDGER_TABLE];
    if (!request?.Keys) throw new Error('BatchGetItem without keys for the ledger table');
    if (request.Keys.length > 100) throw new Error(`ValidationException: ${request.Keys.length} keys`);
    const ids = request.Keys.map((k) => `${k.objectKey?.S}|${k.version?.S}`);
    if (new Set(ids).size !== ids.length)
      throw new Error('ValidationException: Provided list of item keys contains duplicates');
    const unprocessed: Record<string, AttributeValue>[] = [];
    const responses: Record<string, AttributeValue>[] = [];
    request.Keys.forEach((key, i) => {
      const times = (seen.get(ids[i]) ?? 0) + 1;
      seen.set(ids[i], times);
      if (times <= (options.unprocessedTimes ?? 0)) {
        unprocessed.push(key);
        return;
      }
      const item = byKey.get(ids[i]);
      if (!item) return;
      const projected = Object.values(request.ExpressionAttributeNames ?? {});
      const stored: Record<string, string | null> = { ...item };
      responses.push(
        Object.fromEntries(
          projected
            .filter((name) => stored[name] !== null && stored[name] !== undefined)
            .map((name) => [name, { S: String(stored[name]) }]),
        ),
      );
    });
    return Promise.resolve({
      Responses: { [LEDGER_TABLE]: responses },
      UnprocessedKeys: unprocessed.length > 0 ? { [LEDGER_TABLE]: { Keys: unprocessed } } : {},
    });
  });
};

export const resetFakes = (): void => {
  s3Mock.reset();
  dynamodbMock.reset();
};
