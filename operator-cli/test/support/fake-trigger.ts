import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';

import type { Clients } from '../../src/clients';

import type { ObjectVersion } from './ledger-writer';

interface S3Record {
  readonly s3: {
    bucket: { name: string };
    object: { key: string; size: number; eTag: string; versionId?: string };
  };
}

/**
 * moto leaves `versionId` out of its notifications; the real S3 sends it. The harness supplies it from the
 * bucket's versions (the one whose ETag the notification names, newest first), never the product.
 */
async function supplyVersionId(
  clients: Clients,
  bucket: string,
  key: string,
  eTag: string,
): Promise<string | null> {
  const answer = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
  const match = (answer.Versions ?? []).find((v) => v.Key === key && v.ETag?.replace(/"/g, '') === eTag);
  return match?.VersionId && match.VersionId !== 'null' ? match.VersionId : null;
}

/**
 * What the trigger would read: the next S3 notifications on the queue, keys decoded (S3 and moto encode them
 * as form data: `/` as `%2F`, a space as `+`), version ids supplied. The messages are deleted once read.
 */
export async function readNotifications(
  clients: Clients,
  queueUrl: string,
  dataset: string,
  expected: number,
  timeoutMs = 10_000,
): Promise<ObjectVersion[]> {
  const objects: ObjectVersion[] = [];
  const deadline = Date.now() + timeoutMs;
  while (objects.length < expected) {
    if (Date.now() > deadline) throw new Error(`only ${objects.length} of ${expected} notifications arrived`);
    const answer = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of answer.Messages ?? []) {
      const body = JSON.parse(message.Body ?? '{}') as { Records?: S3Record[] };
      for (const record of body.Records ?? []) {
        const bucket = record.s3.bucket.name;
        const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
        const eTag = record.s3.object.eTag;
        const versionId = record.s3.object.versionId ?? (await supplyVersionId(clients, bucket, key, eTag));
        objects.push({ bucket, key, versionId, eTag, size: record.s3.object.size, dataset });
      }
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle ?? '' }),
      );
    }
  }
  return objects;
}
