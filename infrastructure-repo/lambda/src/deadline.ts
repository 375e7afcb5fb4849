/**
 * The invocation's clock. Lambda kills an invocation at its timeout and SQS then re-delivers the whole batch,
 * including messages whose objects a run already took; so every AWS call is bounded by the time left, and work
 * that cannot finish in time is not begun.
 */

/** How an invocation spends its time. Production uses DEFAULT_TIME_LIMITS; tests shrink them to milliseconds. */
export interface TimeLimits {
  /** A chunk (manifest, Glue run, run pointer) is not begun with less time left than this. */
  readonly minRemainingToStartChunkMs: number;
  /** StartJobRun is not called with less time left than this: cut short, its answer (the run id) would be lost. */
  readonly minRemainingToStartRunMs: number;
  /** Every AWS call is abandoned this long before the timeout, so the invocation returns its response in time. */
  readonly returnReserveMs: number;
}

export const DEFAULT_TIME_LIMITS: TimeLimits = {
  minRemainingToStartChunkMs: 20_000,
  minRemainingToStartRunMs: 12_000,
  returnReserveMs: 5_000,
};

/** The invocation's remaining time and how much of it to keep for returning. */
export interface Deadline {
  readonly remainingTimeMs: () => number;
  readonly returnReserveMs: number;
}

export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * Runs one AWS call that must end before the deadline. The signal aborts the SDK request (and its retries); the
 * race stops waiting even for a call that ignores it. A call abandoned here may still take effect at AWS.
 */
export const beforeDeadline = async <T>(
  deadline: Deadline,
  call: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const budgetMs = deadline.remainingTimeMs() - deadline.returnReserveMs;
  if (budgetMs <= 0) throw new DeadlineExceededError('no time left before the function timeout');
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceededError(`abandoned after ${budgetMs} ms, before the function timeout`));
    }, budgetMs);
  });
  // A call that throws at once becomes a rejection here, so the timer is always cleared below.
  const pending = new Promise<T>((resolve) => resolve(call(controller.signal)));
  pending.catch(() => undefined); // an abandoned call's late rejection is expected, not unhandled
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
};
