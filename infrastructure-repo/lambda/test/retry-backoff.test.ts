import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { deferMessages, queueUrlFromArn, RETRY_MAX_SECONDS, retryDelaySeconds } from '../src/retry-backoff';

import { QUEUE_ARN, QUEUE_URL } from './support/events';

const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  sqsMock.reset();
});

describe('retryDelaySeconds', () => {
  test('the delay doubles with each receive', () => {
    const delays = [1, 2, 3, 4].map((count) => retryDelaySeconds(count, () => 1));

    expect(delays).toEqual([60, 120, 240, 480]);
  });

  test('the delay never exceeds the cap', () => {
    expect(retryDelaySeconds(50, () => 1)).toBe(RETRY_MAX_SECONDS);
  });

  test('jitter keeps at least half of the delay', () => {
    expect(retryDelaySeconds(3, () => 0)).toBe(120);
  });

  test('a missing receive count is treated as the first receive', () => {
    expect(retryDelaySeconds(Number.NaN, () => 1)).toBe(60);
  });
});

describe('queueUrlFromArn', () => {
  test('a queue ARN maps to its URL', () => {
    expect(queueUrlFromArn(QUEUE_ARN)).toBe(QUEUE_URL);
  });

  test('something that is not a queue ARN maps to nothing', () => {
    expect(queueUrlFromArn('arn:aws:sns:eu-west-1:222222222222:topic-x:1')).toBeUndefined();
  });
});

describe('deferMessages', () => {
  const ample = { remainingTimeMs: () => 60_000, returnReserveMs: 5_000 };
  const message = (index: number) => ({
    messageId: `m-${index}`,
    receiptHandle: `r-${index}`,
    eventSourceARN: QUEUE_ARN,
    delaySeconds: index,
  });

  test('messages are deferred ten per call with their own delays', async () => {
    // Arrange
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const messages = Array.from({ length: 12 }, (_, index) => message(index));

    // Act
    const notDeferred = await deferMessages(new SQSClient({}), messages, ample);

    // Assert
    expect(notDeferred).toEqual([]);
    expect(sqsMock).toHaveReceivedCommandTimes(ChangeMessageVisibilityBatchCommand, 2);
    expect(sqsMock).toHaveReceivedNthSpecificCommandWith(2, ChangeMessageVisibilityBatchCommand, {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '0', ReceiptHandle: 'r-10', VisibilityTimeout: 10 },
        { Id: '1', ReceiptHandle: 'r-11', VisibilityTimeout: 11 },
      ],
    });
  });

  test('entries SQS refuses are returned with its error code', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({
      Successful: [{ Id: '0' }],
      Failed: [{ Id: '1', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
    });

    const notDeferred = await deferMessages(new SQSClient({}), [message(0), message(1)], ample);

    expect(notDeferred).toEqual([{ messageId: 'm-1', reason: 'ReceiptHandleIsInvalid' }]);
  });

  test('a failed call returns every message of it and does not throw', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('boom'));

    const notDeferred = await deferMessages(new SQSClient({}), [message(0), message(1)], ample);

    expect(notDeferred.map((item) => item.messageId)).toEqual(['m-0', 'm-1']);
  });

  test('thousands of failed messages are deferred ten calls at a time', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { Successful: [], Failed: [] };
    });
    const messages = Array.from({ length: 4_000 }, (_, index) => message(index));

    const notDeferred = await deferMessages(new SQSClient({}), messages, ample);

    expect(notDeferred).toEqual([]);
    expect(sqsMock).toHaveReceivedCommandTimes(ChangeMessageVisibilityBatchCommand, 400);
    expect(mostInFlight).toBe(10);
  });

  test('a call still pending at the deadline is abandoned and its messages returned', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();

    const notDeferred = await deferMessages(new SQSClient({}), [message(0), message(1)], {
      remainingTimeMs: () => 5_050,
      returnReserveMs: 5_000,
    });

    expect(notDeferred).toEqual([
      { messageId: 'm-0', reason: 'DeadlineExceeded' },
      { messageId: 'm-1', reason: 'DeadlineExceeded' },
    ]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('with no time left nothing is sent', async () => {
    sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

    const notDeferred = await deferMessages(new SQSClient({}), [message(0)], {
      remainingTimeMs: () => 4_000,
      returnReserveMs: 5_000,
    });

    expect(notDeferred).toEqual([{ messageId: 'm-0', reason: 'DeadlineExceeded' }]);
    expect(sqsMock).toHaveReceivedCommandTimes(ChangeMessageVisibilityBatchCommand, 0);
  });
});
