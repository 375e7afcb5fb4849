import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

import type { Clients } from '../../operator-cli/src/clients';

/** The queue's batch as the Lambda event source mapping hands it over; what the handler answered. */
export interface Delivery {
  readonly messages: number;
  readonly failed: number;
  /** The bodies handed to the handler (with the version ids supplied), for re-sending one as a duplicate. */
  readonly bodies: readonly string[];
}

interface NotificationRecord {
  s3?: { bucket?: { name?: string }; object?: { key?: string; eTag?: string; versionId?: string } };
}

/**
 * moto leaves `versionId` out of its S3 notifications; real S3 sends it for a versioned bucket. The harness
 * supplies it from the bucket's versions: the newest one whose ETag the notification names.
 */
async function withVersionIds(clients: Clients, body: string): Promise<string> {
  let document: { Records?: NotificationRecord[] };
  try {
    document = JSON.parse(body) as { Records?: NotificationRecord[] };
  } catch {
    return body; // not a notification: the handler decides what to do with it
  }
  for (const record of document.Records ?? []) {
    const object = record.s3?.object;
    const bucket = record.s3?.bucket?.name;
    if (!object?.key || !object.eTag || !bucket || object.versionId) continue;
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
    const answer = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
    const match = (answer.Versions ?? []).find(
      (v) => v.Key === key && v.ETag?.replace(/"/g, '') === object.eTag,
    );
    if (match?.VersionId && match.VersionId !== 'null') object.versionId = match.VersionId;
  }
  return JSON.stringify(document);
}

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const TIMEOUT_MS = 15 * 60_000;

/** What Lambda passes as the context; the handler reads only the remaining time and logs the rest. */
function lambdaContext(functionName: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${started}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => TIMEOUT_MS - (Date.now() - started),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * One poll of the event source mapping: receives up to `batchSize` messages (as long as the queue has any),
 * hands them to the handler as one SQS event, deletes the messages it did not report as failures and leaves
 * the failed ones on the queue for their retry, as Lambda does with ReportBatchItemFailures.
 */
export async function deliverBatch(
  clients: Clients,
  queueUrl: string,
  queueArn: string,
  handler: Handler,
  batchSize: number,
): Promise<Delivery> {
  const records: SQSRecord[] = [];
  while (records.length < batchSize) {
    const answer = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, batchSize - records.length),
        WaitTimeSeconds: records.length === 0 ? 1 : 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = answer.Messages ?? [];
    if (messages.length === 0) break;
    for (const message of messages) {
      const attributes = message.Attributes ?? {};
      records.push({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: await withVersionIds(clients, message.Body ?? ''),
        attributes: {
          ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
          SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
          SenderId: attributes.SenderId ?? 'local',
          ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: queueArn.split(':')[3] ?? '',
      });
    }
  }
  if (records.length === 0) return { messages: 0, failed: 0, bodies: [] };
  const response = await handler({ Records: records }, lambdaContext('trigger'));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = records.filter((r) => !failed.has(r.messageId));
  for (let i = 0; i < done.length; i += 10) {
    await clients.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.slice(i, i + 10).map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
      }),
    );
  }
  return { messages: records.length, failed: failed.size, bodies: records.map((r) => r.body) };
}

/** Sends `body` again: S3 delivers a notification at least once, so the same event can come twice. */
export async function resend(clients: Clients, queueUrl: string, body: string): Promise<void> {
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}
