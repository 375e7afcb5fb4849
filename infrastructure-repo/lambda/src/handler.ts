import { randomUUID } from 'node:crypto';

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

import { createClients } from './clients';
import { DEFAULT_TIME_LIMITS } from './deadline';
import { processBatch } from './process-batch';
import { createFileMetrics, logger, metrics, publishCounts, publishFilesReceived } from './telemetry';
import { readTriggerConfig } from './trigger-config';

// Read at cold start: a missing variable fails the init with an error naming it, before any message is touched.
const config = readTriggerConfig(process.env);
const clients = createClients();
const fileMetrics = createFileMetrics(config.fileMetricsNamespace);

/** `20261123T112000Z-<uuid>`: sorts by time within a day's folder and never collides. */
const newManifestId = (createdAt: Date): string =>
  `${createdAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomUUID()}`;

/** SQS -> manifests -> Glue runs. Returns the messages to retry; throws only on a bug outside processBatch. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  const result = await processBatch(event.Records, {
    config,
    clients,
    now: () => new Date(),
    newManifestId,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
    timeLimits: DEFAULT_TIME_LIMITS,
    random: Math.random,
  });
  try {
    publishCounts(metrics, result.counts);
    publishFilesReceived(fileMetrics, result.filesReceived);
  } catch (error) {
    // Runs have started: throwing now would re-deliver their messages. Losing one metric document is the lesser harm.
    logger.error('metrics not published', { error: error instanceof Error ? error.message : String(error) });
  }
  logger.info('batch done', {
    messages: event.Records.length,
    runsStarted: result.runs.length,
    jobRunIds: result.runs.map((run) => run.jobRunId),
    failedMessages: result.response.batchItemFailures.length,
  });
  return result.response;
};
