import { beforeDeadline, DeadlineExceededError } from '../src/deadline';

const deadline = (remainingMs: number, returnReserveMs = 100) => ({
  remainingTimeMs: () => remainingMs,
  returnReserveMs,
});

test('a call that ends in time gives its result', async () => {
  await expect(beforeDeadline(deadline(10_000), () => Promise.resolve('jr_1'))).resolves.toBe('jr_1');
});

test('a call that fails in time gives its own error', async () => {
  const refused = new Error('ThrottlingException');

  await expect(beforeDeadline(deadline(10_000), () => Promise.reject(refused))).rejects.toBe(refused);
});

test('a call still pending at the deadline is aborted and abandoned', async () => {
  let signal: AbortSignal | undefined;
  const started = Date.now();

  const outcome = beforeDeadline(deadline(150), (abortSignal) => {
    signal = abortSignal;
    return new Promise(() => undefined);
  });

  await expect(outcome).rejects.toBeInstanceOf(DeadlineExceededError);
  expect(signal?.aborted).toBe(true);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('with no time left beyond the reserve the call is not made', async () => {
  const call = jest.fn(() => Promise.resolve('never'));

  await expect(beforeDeadline(deadline(100, 100), call)).rejects.toThrow('no time left');
  expect(call).not.toHaveBeenCalled();
});

test('a call that throws at once gives its error and leaves no timer behind', async () => {
  jest.useFakeTimers();
  const refused = new Error('sqs unavailable');

  try {
    await expect(
      beforeDeadline(deadline(10_000), () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});

test('a call that ends in time leaves no timer behind', async () => {
  jest.useFakeTimers();

  try {
    await beforeDeadline(deadline(10_000), () => Promise.resolve('jr_1'));
    expect(jest.getTimerCount()).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});
