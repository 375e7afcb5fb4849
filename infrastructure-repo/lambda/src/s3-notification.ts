import type { ManifestObject } from '@glue-platform/shared-constructs/contracts';
import { z } from 'zod';

import { classifyObjectKey, datasetFolderOf, decodeObjectKey, type SkipReason } from './object-key';

const eventTime = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 timestamp' });

/** The fields of an S3 event notification record the trigger relies on; other fields are ignored. */
const s3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().min(1),
  eventTime,
  s3: z.object({
    bucket: z.object({ name: z.string().min(3) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().min(1).optional(),
      versionId: z.string().min(1).optional(),
    }),
  }),
});

const notificationSchema = z.object({ Records: z.array(s3RecordSchema).min(1) });

/** Sent once when a notification configuration is saved; it names no object. */
const testEventSchema = z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') });

/** An object of a notification that will go into a manifest. */
export interface AcceptedObject {
  readonly dataset: string;
  readonly object: ManifestObject;
}

export interface SkippedObject {
  readonly reason: SkipReason;
  readonly bucket: string;
  readonly key: string;
  /** The dataset folder the key names, when it is a valid one. */
  readonly dataset: string | null;
  /** What the ledger records; absent when the event names no ETag or size (a delete does not). */
  readonly object?: ManifestObject;
}

export type ParsedMessage =
  | { readonly kind: 'test-event' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | {
      readonly kind: 'notification';
      readonly accepted: readonly AcceptedObject[];
      readonly skipped: readonly SkippedObject[];
    };

const invalid = (reason: string): ParsedMessage => ({ kind: 'invalid', reason });

/**
 * Parses one SQS message body. Anything that is not an S3 notification (or its test event) is `invalid`: the
 * caller reports it as a batch item failure so it ends in the DLQ instead of being acknowledged unread.
 */
export const parseMessageBody = (body: string): ParsedMessage => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return invalid('body is not JSON; expected an S3 event notification');
  }
  if (testEventSchema.safeParse(json).success) return { kind: 'test-event' };
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) {
    return invalid(
      `body is not an S3 event notification: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  const accepted: AcceptedObject[] = [];
  const skipped: SkippedObject[] = [];
  for (const [index, record] of parsed.data.Records.entries()) {
    const bucket = record.s3.bucket.name;
    let key: string;
    try {
      key = decodeObjectKey(record.s3.object.key);
    } catch {
      return invalid(`Records[${index}].s3.object.key "${record.s3.object.key}" has a malformed URL escape`);
    }
    const { size, eTag, versionId } = record.s3.object;
    const skip = (reason: SkipReason): SkippedObject => ({
      reason,
      bucket,
      key,
      dataset: datasetFolderOf(key),
      ...(size === undefined || eTag === undefined
        ? {}
        : { object: { bucket, key, versionId: versionId ?? null, eTag, size, eventTime: record.eventTime } }),
    });
    if (!record.eventName.startsWith('ObjectCreated:')) {
      skipped.push(skip('not-object-created'));
      continue;
    }
    const classification = classifyObjectKey(key);
    if (classification.kind === 'skip') {
      skipped.push(skip(classification.reason));
      continue;
    }
    if (size === undefined || eTag === undefined) {
      return invalid(
        `Records[${index}] (${record.eventName} of "${key}") has no s3.object.size or s3.object.eTag`,
      );
    }
    accepted.push({
      dataset: classification.dataset,
      object: { bucket, key, versionId: versionId ?? null, eTag, size, eventTime: record.eventTime },
    });
  }
  return { kind: 'notification', accepted, skipped };
};
