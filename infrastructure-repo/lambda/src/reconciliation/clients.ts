import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

export interface ReconciliationClients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
}

/** Nothing waits on a run: the SDK may retry patiently; the next scheduled run starts over anyway. */
export const createClients = (): ReconciliationClients => {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: 20_000 };
  return {
    s3: new S3Client({ retryMode: 'standard', maxAttempts: 5, requestHandler }),
    dynamodb: new DynamoDBClient({ retryMode: 'adaptive', maxAttempts: 5, requestHandler }),
  };
};
