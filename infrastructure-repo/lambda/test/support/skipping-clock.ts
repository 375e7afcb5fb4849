/**
 * The real clock, minus the waits with nothing to do. While `run` drives some work, setTimeout is faked: when the
 * work is waiting on nothing but a timer (a hung call, abandoned at its deadline), the clock jumps to that timer
 * instead of waiting for it in real time. Everything the work does meanwhile takes its real time, so `now()` is
 * never earlier than the real clock would be at that point of the work; a deadline is still met or missed by how
 * long the code really ran.
 */
export class SkippingClock {
  private skippedMs = 0;

  /** Milliseconds since the epoch: the real time plus every wait skipped so far. */
  readonly now = (): number => Date.now() + this.skippedMs;

  /**
   * Runs `work` to its end. Fails if the work waits on nothing at all: with the real clock it would never end.
   * Only setTimeout and clearTimeout are faked, so Date, promises, process.nextTick and setImmediate run as usual.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
      ],
    });
    try {
      let settled = false;
      const result = work().finally(() => {
        settled = true;
      });
      result.catch(() => undefined); // awaited below; this only keeps an early rejection from being unhandled
      while (!settled) {
        // Two real turns of the event loop: every promise chain the work has in flight has run as far as it can.
        await idle();
        await idle();
        if (settled) break;
        if (jest.getTimerCount() === 0) throw new Error('the work waits on nothing: it would never end');
        const before = jest.now();
        jest.advanceTimersToNextTimer();
        this.skippedMs += jest.now() - before;
      }
      return await result;
    } finally {
      jest.useRealTimers();
    }
  }
}

const idle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
