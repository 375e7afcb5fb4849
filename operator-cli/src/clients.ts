import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { AwsAccessError, explainAwsError } from './errors';
import type { Stage } from './stage';

export interface Clients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly glue: GlueClient;
  readonly athena: AthenaClient;
}

export interface ConnectOptions {
  /** `--endpoint-url`, else `AWS_ENDPOINT_URL`: an emulator such as moto. */
  readonly endpointUrl?: string;
  /** Assume this role first; `--assume-role` asks for the stage's operator role. */
  readonly roleArn?: string;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

async function assumeRole(stage: Stage, roleArn: string, endpoint: string | undefined): Promise<Credentials> {
  const sts = new STSClient({ region: stage.ctx.region, endpoint });
  try {
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'glue-platform-cli',
        DurationSeconds: 3600,
      }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new AwsAccessError(`STS AssumeRole of ${roleArn} answered without credentials`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  } catch (error) {
    const explained = explainAwsError(error, `assuming the role ${roleArn}`);
    if (explained instanceof AwsAccessError && explained.kind !== 'credentials') {
      throw new AwsAccessError(
        `${explained.message} The operator role ${roleArn} is created by the stage's infrastructure stack; ` +
          'is the stage deployed, and may your identity assume it (docs/operations.md, CLI)?',
        explained.kind,
      );
    }
    throw explained;
  } finally {
    sts.destroy();
  }
}

/** One client per service, in the stage's region, through the endpoint and role asked for. */
export async function connect(stage: Stage, options: ConnectOptions): Promise<Clients> {
  const endpoint = options.endpointUrl;
  const credentials = options.roleArn ? await assumeRole(stage, options.roleArn, endpoint) : undefined;
  const common = { region: stage.ctx.region, endpoint, credentials };
  return {
    // An emulator answers on one host name, so buckets go in the path rather than the host.
    s3: new S3Client({ ...common, forcePathStyle: endpoint !== undefined }),
    dynamodb: new DynamoDBClient(common),
    sqs: new SQSClient(common),
    glue: new GlueClient(common),
    athena: new AthenaClient(common),
  };
}

export function closeClients(clients: Clients): void {
  for (const client of Object.values(clients) as { destroy(): void }[]) client.destroy();
}
