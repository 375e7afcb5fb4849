import type { SQSRecord } from 'aws-lambda';

import { sqsRecord } from './events';

/** Deterministic PRNG (mulberry32): the same seed gives the same run, so a failure can be replayed. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface SimMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface SimQueueOptions {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/**
 * A standard SQS queue with a redrive policy, reduced to what the trigger can observe: random order, receive
 * counts, visibility timeouts (changeable through the latest receipt handle) and a DLQ on the receive after the
 * last allowed one.
 */
export class SimQueue {
  clock = 0;
  readonly deadLetters: SimMessage[] = [];
  private readonly messages = new Map<string, SimMessage>();
  private sent = 0;

  constructor(
    private readonly options: SimQueueOptions,
    private readonly random: () => number,
  ) {}

  send(body: string): string {
    const messageId = `msg-${(this.sent += 1)}`;
    this.messages.set(messageId, { messageId, body, receiveCount: 0, visibleAt: this.clock });
    return messageId;
  }

  get size(): number {
    return this.messages.size;
  }

  /** Up to `max` visible messages in random order; the ones past their last receive go to the DLQ instead. */
  receive(max: number): SQSRecord[] {
    const visible = [...this.messages.values()].filter((message) => message.visibleAt <= this.clock);
    for (let index = visible.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.random() * (index + 1));
      [visible[index], visible[other]] = [visible[other], visible[index]];
    }
    const batch: SQSRecord[] = [];
    for (const message of visible) {
      if (batch.length >= max) break;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(message.messageId);
        this.deadLetters.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = this.clock + this.options.visibilityTimeoutSeconds;
      const record = sqsRecord(message.body, message.messageId, message.receiveCount);
      message.receiptHandle = record.receiptHandle;
      batch.push(record);
    }
    return batch;
  }

  delete(messageId: string): void {
    this.messages.delete(messageId);
  }

  /** False when the handle is stale or the message is gone, as SQS answers ReceiptHandleIsInvalid. */
  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = [...this.messages.values()].find((item) => item.receiptHandle === receiptHandle);
    if (!message) return false;
    message.visibleAt = this.clock + seconds;
    return true;
  }

  /** When the next message becomes visible, or undefined when the queue is empty. */
  nextVisibleAt(): number | undefined {
    const times = [...this.messages.values()].map((message) => message.visibleAt);
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}
