import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/** Placeholder while the trigger is built; reports every message as failed so nothing is acknowledged. */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
  batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
});
