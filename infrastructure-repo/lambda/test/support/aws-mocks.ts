import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { manifestSchema, type Manifest } from '@glue-platform/shared-constructs/contracts';
import { mockClient } from 'aws-sdk-client-mock';


export const s3Mock = mockClient(S3Client);
export const glueMock = mockClient(GlueClient);
export const sqsMock = mockClient(SQSClient);

/** Every client answers yes; Glue hands out run ids jr_1, jr_2, ... */
export const resetAwsMocks = (): void => {
  s3Mock.reset();
  glueMock.reset();
  sqsMock.reset();
  let run = 0;
  s3Mock.on(PutObjectCommand).resolves({});
  glueMock.on(StartJobRunCommand).callsFake(() => Promise.resolve({ JobRunId: `jr_${(run += 1)}` }));
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
