import { appendFileSync } from 'node:fs';
import path from 'node:path';

import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * Drives the bundled handler (run.sh builds it) with mocked clients. The bundle keeps `@aws-sdk/*` external, so
 * it loads the same client classes that aws-sdk-client-mock patches here. Results go to RESULT_FILE so the
 * handler's own log lines (stdout) can be thrown away without hiding them.
 */
type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const resultFile = process.env.RESULT_FILE ?? 'bench/out/trigger/throughput.txt';
const report = { write: (text: string): void => appendFileSync(resultFile, text) };
const bundlePath = path.resolve(process.env.BUNDLE ?? 'bench/out/trigger/default/index.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require(bundlePath) as { handler: Handler };

const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

const s3 = mockClient(S3Client);
const glue = mockClient(GlueClient);
const sqs = mockClient(SQSClient);
// The ledger answers every conditional write with success, as DynamoDB does for objects seen for the first time.
const ledger = mockClient(DynamoDBDocumentClient);
s3.on(PutObjectCommand).resolves({});
glue.on(StartJobRunCommand).resolves({ JobRunId: 'jr_bench' });
sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
ledger.on(TransactWriteCommand).resolves({});
ledger.on(BatchGetCommand).resolves({ Responses: {}, UnprocessedKeys: {} });

const DATASETS = ['sales', 'stock', 'returns'];

const records = (count: number, size = 1024): SQSRecord[] =>
  Array.from({ length: count }, (_, index) => ({
    messageId: `m-${index}`,
    receiptHandle: `r-${index}`,
    body: JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-1',
          eventTime: '2026-11-23T10:15:30.000Z',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: 'glue-platform-dev-input-222222222222-eu-west-1' },
            object: {
              key: `incoming/${DATASETS[index % DATASETS.length]}/2026/upload+${index}.csv`,
              size,
              eTag: `${index}`.padStart(32, '0'),
              versionId: `v${index}`,
            },
          },
        },
      ],
    }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:222222222222:glue-platform-dev-trigger',
    awsRegion: 'eu-west-1',
  }));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const timeMs = async (work: () => unknown): Promise<number> => {
  const start = process.hrtime.bigint();
  await Promise.resolve(work());
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const main = async (): Promise<void> => {
  const batchSize = 10_000;
  const batch = records(batchSize);
  await handler({ Records: batch.slice(0, 500) }, context);
  const handlerMs: number[] = [];
  const parseMs: number[] = [];
  for (let round = 0; round < 7; round += 1) {
    parseMs.push(await timeMs(() => batch.map((record) => JSON.parse(record.body) as unknown)));
    handlerMs.push(await timeMs(() => handler({ Records: batch }, context)));
  }
  const handlerRate = batchSize / (median(handlerMs) / 1000);
  const parseRate = batchSize / (median(parseMs) / 1000);
  report.write(
    `  handler                    ${Math.round(handlerRate).toLocaleString('en')} records/s ` +
      `(median of 7 batches of ${batchSize.toLocaleString('en')} messages)\n` +
      `  JSON.parse of the bodies   ${Math.round(parseRate).toLocaleString('en')} records/s (baseline)\n` +
      `  ratio                      the handler takes ${(parseRate / handlerRate).toFixed(0)}x the parse-only time\n`,
  );

  glue.resetHistory();
  ledger.resetHistory();
  const response = await handler({ Records: records(2500) }, context);
  report.write(
    `2,500 uploads across ${DATASETS.length} datasets in one batch: ` +
      `${glue.commandCalls(StartJobRunCommand).length} Glue runs started, ` +
      `${response.batchItemFailures.length} messages failed\n`,
  );

  // What the ledger costs: DynamoDB calls for 1,000 new uploads of one dataset in one batch.
  ledger.resetHistory();
  await handler({ Records: records(3000).filter((_, index) => index % DATASETS.length === 0) }, context);
  const writes = ledger.commandCalls(TransactWriteCommand);
  report.write(
    `DynamoDB calls per 1,000 uploads (one batch, no duplicates): ${ledger.calls().length} ` +
      `(${writes.length} TransactWriteItems of ${writes.reduce((total, call) => total + (call.args[0].input.TransactItems?.length ?? 0), 0)} items, ` +
      `${ledger.commandCalls(BatchGetCommand).length} BatchGetItem)\n`,
  );

  // The same burst of 100 MiB files: the byte cap (20 GiB unless MAX_BYTES_PER_MANIFEST says otherwise) splits it.
  glue.resetHistory();
  const large = await handler({ Records: records(2500, 100 * 1024 ** 2) }, context);
  report.write(
    `2,500 uploads of 100 MiB across ${DATASETS.length} datasets in one batch: ` +
      `${glue.commandCalls(StartJobRunCommand).length} Glue runs started, ` +
      `${large.batchItemFailures.length} messages failed\n`,
  );
};

void main();
