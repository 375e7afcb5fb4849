import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateDatabaseCommand, CreateJobCommand } from '@aws-sdk/client-glue';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LEDGER_DATASET_INDEX, LEDGER_KEY } from '@glue-platform/shared-constructs/contracts';
import { S3_PREFIXES } from '@glue-platform/shared-constructs/src/naming';

import { connect, type Clients } from '../../src/clients';
import { resolveStage, type Stage } from '../../src/stage';

import { startMotoServer, type MotoServer } from './moto-server';

/** The stage every emulator test uses: `dev` of the repository's platform.config.json. */
export const STAGE = 'dev';

/** Fake credentials: moto accepts any; the CLI finds them where the SDK looks, in the environment. */
export function useEmulatorCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
}

export interface EmulatedStage {
  readonly server: MotoServer;
  readonly stage: Stage;
  /** The test's own clients, for arranging and checking what the CLI did. */
  readonly clients: Clients;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const answer = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = answer.Attributes?.QueueArn;
  if (!arn) throw new Error(`no ARN for ${url}`);
  return arn;
}

/**
 * The stage's resources under their real names, as the infrastructure and application apps create them: the
 * input bucket (versioned, `incoming/*.csv` notifications to the trigger queue), the assets and output buckets,
 * the queue with its DLQ after 5 receives, the ledger table with its `by-dataset` index, the Glue database and
 * the file_processor job.
 */
export async function createStageResources(
  stage: Stage,
  clients: Clients,
  jobDefaultArguments: Record<string, string> = {},
): Promise<{ queueUrl: string; deadLetterQueueUrl: string }> {
  const { s3, sqs, dynamodb } = clients;
  const region = stage.ctx.region;
  for (const bucket of [stage.inputBucket, stage.assetsBucket, stage.outputBucket]) {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
      }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: stage.deadLetterQueue }));
  const deadLetterQueueUrl = dlq.QueueUrl ?? '';
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: stage.queue,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(sqs, deadLetterQueueUrl),
          maxReceiveCount: 5,
        }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl ?? '';
  const target = await queueArn(sqs, queueUrl);
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: stage.inputBucket,
      NotificationConfiguration: {
        QueueConfigurations: ['.csv', '.CSV'].map((suffix) => ({
          QueueArn: target,
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'prefix', Value: S3_PREFIXES.incoming },
                { Name: 'suffix', Value: suffix },
              ],
            },
          },
        })),
      },
    }),
  );
  await dynamodb.send(
    new CreateTableCommand({
      TableName: stage.ledgerTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: LEDGER_KEY.partition, AttributeType: 'S' },
        { AttributeName: LEDGER_KEY.sort, AttributeType: 'S' },
        { AttributeName: LEDGER_DATASET_INDEX.partition, AttributeType: 'S' },
        { AttributeName: LEDGER_DATASET_INDEX.sort, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' },
        { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: LEDGER_DATASET_INDEX.name,
          KeySchema: [
            { AttributeName: LEDGER_DATASET_INDEX.partition, KeyType: 'HASH' },
            { AttributeName: LEDGER_DATASET_INDEX.sort, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  const { glue } = clients;
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: stage.database } }));
  await glue.send(
    new CreateJobCommand({
      Name: stage.jobName,
      Role: `arn:aws:iam::${stage.ctx.account}:role/${stage.ctx.project}-${stage.ctx.stage}-glue-job`,
      Command: { Name: 'glueetl', ScriptLocation: `s3://${stage.assetsBucket}/scripts/file_processor.py` },
      DefaultArguments: jobDefaultArguments,
    }),
  );
  return { queueUrl, deadLetterQueueUrl };
}

/**
 * moto on a free port with the `dev` stage's resources; `stop()` it in afterAll. `jobDefaultArguments` gives
 * the Glue job the default arguments the application stack would, for a harness that executes its runs.
 */
export async function startEmulatedStage(
  options: { create?: boolean; jobDefaultArguments?: (stage: Stage) => Record<string, string> } = {},
): Promise<EmulatedStage> {
  useEmulatorCredentials();
  const server = await startMotoServer();
  try {
    const stage = resolveStage(STAGE, undefined, {});
    const clients = await connect(stage, { endpointUrl: server.endpoint });
    const urls =
      options.create === false
        ? { queueUrl: '', deadLetterQueueUrl: '' }
        : await createStageResources(stage, clients, options.jobDefaultArguments?.(stage));
    return { server, stage, clients, ...urls };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
