import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

import { beforeDeadline, type Deadline } from './deadline';

/** First retry after about this long; each receive doubles it. */
export const RETRY_BASE_SECONDS = 60;
/** No retry waits longer than this (SQS allows up to 12 hours). */
export const RETRY_MAX_SECONDS = 900;

/**
 * Exponential backoff with equal jitter, from the message's ApproximateReceiveCount (1 on the first receive):
 * up to 1, 2, 4, 8 minutes, capped at 15, so a Glue concurrency limit or a job not deployed yet gets time to
 * clear before the message's last receive (the queue's maxReceiveCount, 5 by default) sends it to the DLQ.
 */
export const retryDelaySeconds = (receiveCount: number, random: () => number): number => {
  const attempt = Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1;
  const ceiling = Math.min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/** A failed message and when it should be seen again. */
export interface DeferredMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly eventSourceARN: string;
  readonly delaySeconds: number;
}

/** `arn:<partition>:sqs:<region>:<account>:<name>` -> the queue URL ChangeMessageVisibility needs. */
export const queueUrlFromArn = (arn: string): string | undefined => {
  const match = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)$/.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, name] = match;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
};

const SQS_BATCH_LIMIT = 10;
/** ChangeMessageVisibilityBatch calls in flight at once: 4,000 failed messages take 40 rounds, not 400 calls. */
const PARALLEL_CALLS = 10;

export interface NotDeferred {
  readonly messageId: string;
  readonly reason: string;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : String(error));

/**
 * Sets the visibility timeout of each failed message, so the event source re-delivers it after its own delay
 * rather than after the queue's fixed visibility timeout. Best effort and bounded by the deadline: returns the
 * messages it could not defer (they simply come back after the queue's visibility timeout), never throws.
 */
export const deferMessages = async (
  sqs: SQSClient,
  messages: readonly DeferredMessage[],
  deadline: Deadline,
): Promise<NotDeferred[]> => {
  const notDeferred: NotDeferred[] = [];
  const byQueue = new Map<string, DeferredMessage[]>();
  for (const message of messages) {
    const url = queueUrlFromArn(message.eventSourceARN);
    if (!url) {
      notDeferred.push({
        messageId: message.messageId,
        reason: `not an SQS queue ARN: ${message.eventSourceARN}`,
      });
      continue;
    }
    byQueue.set(url, [...(byQueue.get(url) ?? []), message]);
  }
  const calls: { queueUrl: string; slice: DeferredMessage[] }[] = [];
  for (const [queueUrl, queueMessages] of byQueue) {
    for (let start = 0; start < queueMessages.length; start += SQS_BATCH_LIMIT) {
      calls.push({ queueUrl, slice: queueMessages.slice(start, start + SQS_BATCH_LIMIT) });
    }
  }
  const defer = async ({
    queueUrl,
    slice,
  }: {
    queueUrl: string;
    slice: DeferredMessage[];
  }): Promise<void> => {
    try {
      const response = await beforeDeadline(deadline, (abortSignal) =>
        sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: slice.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.receiptHandle,
              VisibilityTimeout: message.delaySeconds,
            })),
          }),
          { abortSignal },
        ),
      );
      for (const failed of response.Failed ?? []) {
        const message = slice[Number(failed.Id)];
        if (message) notDeferred.push({ messageId: message.messageId, reason: failed.Code ?? 'unknown' });
      }
    } catch (error) {
      notDeferred.push(
        ...slice.map((message) => ({ messageId: message.messageId, reason: errorName(error) })),
      );
    }
  };
  for (let start = 0; start < calls.length; start += PARALLEL_CALLS) {
    await Promise.all(calls.slice(start, start + PARALLEL_CALLS).map(defer));
  }
  return notDeferred;
};
