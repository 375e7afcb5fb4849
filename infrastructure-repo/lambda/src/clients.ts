import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface TriggerClients {
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly sqs: SQSClient;
}

/**
 * SDK retries only smooth over blips: the real retry is the SQS redelivery with backoff (retry-backoff.ts), so
 * attempts and timeouts are kept small enough that a whole batch finishes well inside the function timeout. A
 * run still in flight when the function times out would leave its messages unacknowledged and re-delivered.
 * Glue uses adaptive mode so a throttled container slows its own request rate instead of hammering the API.
 */
export const createClients = (): TriggerClients => {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };
  return {
    s3: new S3Client({ retryMode: 'standard', maxAttempts: 3, requestHandler }),
    glue: new GlueClient({ retryMode: 'adaptive', maxAttempts: 4, requestHandler }),
    sqs: new SQSClient({ retryMode: 'standard', maxAttempts: 2, requestHandler }),
  };
};
