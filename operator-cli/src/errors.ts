import { EXIT, type ExitCode } from './exit-codes';

/** A bad command line or config: exit 2 before any AWS call. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** AWS could not be used as the command needed: exit 3, with what to check. */
export class AwsAccessError extends Error {
  override readonly name = 'AwsAccessError';
  constructor(
    message: string,
    readonly kind: 'credentials' | 'denied' | 'missing' | 'network' | 'answer' = 'answer',
  ) {
    super(message);
  }
}

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const DENIED_ERRORS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationErrorException',
  'UnauthorizedOperation',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'KMS.AccessDeniedException',
]);
const MISSING_ERRORS = new Set([
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'EntityNotFoundException',
  'NoSuchEntity',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

const nameOf = (error: unknown): string =>
  error instanceof Error ? ((error as Error & { Code?: string }).Code ?? error.name) : '';

/**
 * The AWS error of one call said in the operator's terms, or the error itself when it is not about access
 * (a bug, or an answer the command handles). `what` names the call: "reading the ledger table glue-etl-dev-...".
 */
export function explainAwsError(error: unknown, what: string): unknown {
  if (!(error instanceof Error)) return error;
  const name = nameOf(error);
  // The SDK wraps a socket error; its code is on the error, its cause, or only in the message.
  const withCode = error as Error & { code?: unknown; cause?: { code?: unknown } };
  const code =
    [withCode.code, withCode.cause?.code, /\b(E[A-Z]{4,})\b/.exec(error.message)?.[1]].find(
      (c): c is string => typeof c === 'string' && NETWORK_CODES.has(c),
    ) ?? '';
  if (CREDENTIAL_ERRORS.has(name) || /could not load credentials/i.test(error.message)) {
    return new AwsAccessError(
      `No AWS credentials while ${what}: ${error.message}. Sign in first (AWS_PROFILE with ` +
        '`aws sso login`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then run the command again.',
      'credentials',
    );
  }
  if (DENIED_ERRORS.has(name)) {
    return new AwsAccessError(
      `AWS refused ${what} (${name}): ${error.message}. Use credentials of the stage's account that may ` +
        "act as the operator: pass --assume-role (the stage's operator role) or --role-arn ARN.",
      'denied',
    );
  }
  // Athena says a workgroup, database or output bucket is missing with a generic error name.
  const missing = name === 'InvalidRequestException' && /does not exist|not found/i.test(error.message);
  if (MISSING_ERRORS.has(name) || missing) {
    return new AwsAccessError(
      `Not found while ${what} (${name}): ${error.message}. Check --stage and the config: is the stage's ` +
        'infrastructure deployed in this account and region?',
      'missing',
    );
  }
  if (code || NETWORK_CODES.has(name)) {
    return new AwsAccessError(
      `Could not reach AWS while ${what} (${code || name}): ${error.message}. Check the network, or ` +
        '--endpoint-url / AWS_ENDPOINT_URL when you use an emulator.',
      'network',
    );
  }
  return error;
}

/** Runs one AWS call and turns access problems into an AwsAccessError naming `what`. */
export async function aws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainAwsError(error, what);
  }
}

/** The exit code and the message of an error that reached the top. */
export function exitCodeOf(error: unknown): ExitCode | undefined {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof AwsAccessError) return EXIT.aws;
  return undefined;
}
