import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';

import { DEFAULT_TIME_LIMITS } from '../../src/deadline';
import type { BatchDeps } from '../../src/process-batch';
import { logger } from '../../src/telemetry';
import { DEFAULT_MAX_BYTES_PER_MANIFEST, DEFAULT_MAX_OBJECTS_PER_MANIFEST } from '../../src/trigger-config';

export const INPUT_BUCKET = 'glue-platform-dev-input-222222222222-eu-west-1';
export const ASSETS_BUCKET = 'glue-platform-dev-assets-222222222222-eu-west-1';
export const JOB_NAME = 'glue-platform-dev-file-processor';
export const LEDGER_TABLE = 'glue-platform-dev-file-ledger';
export const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:222222222222:glue-platform-dev-trigger';
export const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/222222222222/glue-platform-dev-trigger';

export const loadFixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8')) as unknown;

/** How S3 writes a key into a notification: form-URL-encoded, slashes kept. */
export const encodeKey = (key: string): string =>
  key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');

export interface ObjectSpec {
  readonly key: string;
  readonly bucket?: string;
  readonly size?: number;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly eventName?: string;
  readonly eventTime?: string;
}

/** One S3 notification record for a decoded key. */
export const s3Record = (spec: ObjectSpec): Record<string, unknown> => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'eu-west-1',
  eventTime: spec.eventTime ?? '2026-11-23T10:15:30.000Z',
  eventName: spec.eventName ?? 'ObjectCreated:Put',
  s3: {
    s3SchemaVersion: '1.0',
    bucket: { name: spec.bucket ?? INPUT_BUCKET, arn: `arn:aws:s3:::${spec.bucket ?? INPUT_BUCKET}` },
    object: {
      key: encodeKey(spec.key),
      size: spec.size ?? 100,
      eTag: spec.eTag ?? 'e'.repeat(32),
      ...(spec.versionId ? { versionId: spec.versionId } : {}),
      sequencer: '0055AED6DCD90281E5',
    },
  },
});

export const notification = (...specs: ObjectSpec[]): { Records: Record<string, unknown>[] } => ({
  Records: specs.map(s3Record),
});

const template = (loadFixture('sqs-event.json') as { Records: SQSRecord[] }).Records[0];

/** An SQS record as Lambda hands it over; a non-string body is serialized like S3 does. */
export const sqsRecord = (body: unknown, messageId: string, receiveCount = 1): SQSRecord => ({
  ...template,
  messageId,
  receiptHandle: `receipt-${messageId}-${receiveCount}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ...template.attributes, ApproximateReceiveCount: String(receiveCount) },
  eventSourceARN: QUEUE_ARN,
});

/** A message per object, ids `m-0`, `m-1`, ... */
export const oneMessagePerObject = (specs: readonly ObjectSpec[], idPrefix = 'm'): SQSRecord[] =>
  specs.map((spec, index) => sqsRecord(notification(spec), `${idPrefix}-${index}`));

/** Real SDK clients (aws-sdk-client-mock replaces their `send`), a fixed clock and predictable manifest ids. */
export const testDeps = (overrides: Partial<BatchDeps> = {}): BatchDeps => {
  let sequence = 0;
  return {
    config: {
      assetsBucketName: ASSETS_BUCKET,
      glueJobName: JOB_NAME,
      maxObjectsPerManifest: DEFAULT_MAX_OBJECTS_PER_MANIFEST,
      maxBytesPerManifest: DEFAULT_MAX_BYTES_PER_MANIFEST,
      ledgerTableName: LEDGER_TABLE,
      ledgerRetentionDays: 400,
      fileMetricsNamespace: 'glue-platform/dev/files',
    },
    clients: {
      s3: new S3Client({ region: 'eu-west-1' }),
      glue: new GlueClient({ region: 'eu-west-1' }),
      glueStart: new GlueClient({ region: 'eu-west-1', maxAttempts: 1 }),
      sqs: new SQSClient({ region: 'eu-west-1' }),
      ledger: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    },
    now: () => new Date('2026-11-23T10:20:00.000Z'),
    newManifestId: () => `manifest-${(sequence += 1)}`,
    remainingTimeMs: () => 300_000,
    timeLimits: DEFAULT_TIME_LIMITS,
    random: () => 0.5,
    ...overrides,
  };
};

/** Keeps test output readable; returns the spies so a test can read what was logged. */
export const captureLogs = (): Record<'info' | 'warn' | 'error', jest.SpyInstance> => ({
  info: jest.spyOn(logger, 'info').mockImplementation(() => undefined),
  warn: jest.spyOn(logger, 'warn').mockImplementation(() => undefined),
  error: jest.spyOn(logger, 'error').mockImplementation(() => undefined),
});
