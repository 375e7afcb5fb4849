export const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * True when AWS answered with a client error: the request was refused and had no effect. Anything else (a server
 * error, a timeout, a dropped connection, a call abandoned at the deadline) may have taken effect.
 */
export const isDefiniteRefusal = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { $fault, $metadata } = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 400 && status < 500;
  return $fault === 'client';
};
