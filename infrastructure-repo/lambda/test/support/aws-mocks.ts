import { GetJobRunsCommand, GlueClient, StartJobRunCommand, type JobRun } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  type BatchGetCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { manifestSchema, type Manifest } from '@glue-platform/shared-constructs/contracts';
import { mockClient } from 'aws-sdk-client-mock';

import { FakeLedger } from './ledger-fake';

export const s3Mock = mockClient(S3Client);
export const glueMock = mockClient(GlueClient);
export const sqsMock = mockClient(SQSClient);
export const ledgerMock = mockClient(DynamoDBDocumentClient);

/** The ledger behind ledgerMock, fresh after each resetAwsMocks. */
export let ledger = new FakeLedger();
/** The runs Glue has started, newest last, as GetJobRuns reports them. */
export let glueRuns: JobRun[] = [];

/** GetJobRuns over `glueRuns`, newest first, in pages. */
export const answerGetJobRuns = (input: { MaxResults?: number; NextToken?: string }) => {
  const newestFirst = [...glueRuns].reverse();
  const start = Number(input.NextToken ?? 0);
  const end = start + (input.MaxResults ?? 100);
  return Promise.resolve({
    JobRuns: newestFirst.slice(start, end),
    NextToken: end < newestFirst.length ? String(end) : undefined,
  });
};

/** Glue's answer to StartJobRun: a new run, remembered for GetJobRuns. */
export const startRun = (input: { Arguments?: Record<string, string> }) => {
  const run: JobRun = { Id: `jr_${glueRuns.length + 1}`, Arguments: input.Arguments, StartedOn: new Date() };
  glueRuns.push(run);
  return Promise.resolve({ JobRunId: run.Id });
};

export const wireLedger = (target: FakeLedger): void => {
  ledgerMock
    .on(TransactWriteCommand)
    .callsFake((input: TransactWriteCommandInput) => target.transactWrite(input));
  ledgerMock.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => target.batchGet(input));
};

/** Every client answers yes; Glue hands out run ids jr_1, jr_2, ... and remembers its runs. */
export const resetAwsMocks = (): void => {
  s3Mock.reset();
  glueMock.reset();
  sqsMock.reset();
  ledgerMock.reset();
  ledger = new FakeLedger();
  glueRuns = [];
  wireLedger(ledger);
  s3Mock.on(PutObjectCommand).resolves({});
  glueMock.on(StartJobRunCommand).callsFake(startRun);
  glueMock.on(GetJobRunsCommand).callsFake(answerGetJobRuns);
  sqsMock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
};

interface PutCall {
  readonly key: string;
  readonly body: unknown;
}

const puts = (): PutCall[] =>
  s3Mock.commandCalls(PutObjectCommand).map((call) => {
    const { Key, Body } = call.args[0].input;
    if (typeof Body !== 'string') throw new Error(`PutObject of ${Key} had a body that is not a string`);
    return { key: Key ?? '', body: JSON.parse(Body) as unknown };
  });

/** The manifests written so far, each checked against the shared schema. */
export const writtenManifests = (): { key: string; manifest: Manifest }[] =>
  puts()
    .filter((put) => !put.key.endsWith('.run.json'))
    .map((put) => ({ key: put.key, manifest: manifestSchema.parse(put.body) }));

export const writtenPointers = (): PutCall[] => puts().filter((put) => put.key.endsWith('.run.json'));

export const startedManifestUris = (): string[] =>
  glueMock.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--manifest'] ?? '');
