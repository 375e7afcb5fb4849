import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TriggerClients {
  readonly s3: S3Client;
  /** Lookups (GetJobRuns): retried by the SDK like any read. */
  readonly glue: GlueClient;
  /** StartJobRun only: one attempt, never retried by the SDK (see createClients). */
  readonly glueStart: GlueClient;
  readonly sqs: SQSClient;
  /** The file ledger; plain JavaScript values in and out. */
  readonly ledger: DynamoDBDocumentClient;
}

/**
 * SDK retries only smooth over blips: the real retry is the SQS redelivery with backoff (retry-backoff.ts), so
 * attempts and timeouts are kept small enough that a whole batch finishes well inside the function timeout. A
 * run still in flight when the function times out would leave its messages unacknowledged and re-delivered.
 * Glue uses adaptive mode so a throttled container slows its own request rate instead of hammering the API.
 * StartJobRun takes no idempotency token: an SDK retry after a lost answer would start a second run on the same
 * manifest, so it gets a client of its own with a single attempt, and a start in doubt is looked up instead
 * (run-step.ts). DynamoDB transactions carry a client token the SDK reuses on its retries, so they may retry.
 */
export const createClients = (): TriggerClients => {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };
  return {
    s3: new S3Client({ retryMode: 'standard', maxAttempts: 3, requestHandler }),
    glue: new GlueClient({ retryMode: 'adaptive', maxAttempts: 4, requestHandler }),
    glueStart: new GlueClient({ retryMode: 'adaptive', maxAttempts: 1, requestHandler }),
    sqs: new SQSClient({ retryMode: 'standard', maxAttempts: 2, requestHandler }),
    ledger: DynamoDBDocumentClient.from(
      new DynamoDBClient({ retryMode: 'standard', maxAttempts: 3, requestHandler }),
    ),
  };
};
