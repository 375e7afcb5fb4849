import { fileLedgerTableName } from '@glue-platform/shared-constructs';
import {
  LEDGER_DATASET_INDEX,
  LEDGER_KEY,
  LEDGER_TTL_ATTRIBUTE,
} from '@glue-platform/shared-constructs/contracts';
import { Template } from 'aws-cdk-lib/assertions';

import { BuiltInfrastructure, buildInfrastructure, logicalIdOf } from './support/infrastructure-app';

interface TableJson {
  readonly Properties: Record<string, unknown> & {
    readonly Replicas: Record<string, unknown>[];
  };
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

let built: BuiltInfrastructure;
const tableOf = (stage: string): TableJson => {
  const tables = Object.values(built.template(stage).findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  return tables[0] as unknown as TableJson;
};

beforeAll(() => {
  built = buildInfrastructure();
});

describe('the file ledger table', () => {
  test('is named by the naming module and keyed by object and version, as the ledger contract says', () => {
    expect(tableOf('dev').Properties).toMatchObject({
      TableName: fileLedgerTableName(built.ctx('dev')),
      KeySchema: [
        { AttributeName: LEDGER_KEY.partition, KeyType: 'HASH' },
        { AttributeName: LEDGER_KEY.sort, KeyType: 'RANGE' },
      ],
    });
    expect([LEDGER_KEY.partition, LEDGER_KEY.sort]).toEqual(['objectKey', 'version']);
  });

  test("has the contract's dataset index, projecting whole items", () => {
    expect(tableOf('dev').Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: LEDGER_DATASET_INDEX.name,
        KeySchema: [
          { AttributeName: 'dataset', KeyType: 'HASH' },
          { AttributeName: 'updatedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    expect(tableOf('dev').Properties.AttributeDefinitions).toEqual(
      ['objectKey', 'version', 'dataset', 'updatedAt'].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
    );
  });

  test('bills on demand', () => {
    expect(tableOf('dev').Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  test('is encrypted with the stage key', () => {
    const stack = built.stack('dev');
    const table = tableOf('dev');
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.Replicas).toEqual([
      expect.objectContaining({
        Region: 'eu-west-1',
        SSESpecification: {
          KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, stack.dataKey.key), 'Arn'] },
        },
      }),
    ]);
  });

  test('has point-in-time recovery on', () => {
    expect(tableOf('dev').Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
  });

  test(`expires items through TTL on ${LEDGER_TTL_ATTRIBUTE}`, () => {
    expect(tableOf('dev').Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  test('a stage that does not retain data deletes the table with the stack', () => {
    const table = tableOf('dev');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
  });

  test('a stage that retains data keeps the table and protects it from deletion', () => {
    const table = tableOf('prod');
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
  });

  test('lives in the region of its stage, with no other replica', () => {
    const staging = buildInfrastructure({
      ...built.config,
      stages: [
        { name: 'dev', account: '222222222222', region: 'eu-central-1' },
        { ...built.config.stages[1] },
      ],
    });
    const tables = Object.values(
      Template.fromStack(staging.stack('dev')).findResources('AWS::DynamoDB::GlobalTable'),
    ) as unknown as TableJson[];
    expect(tables.map((t) => t.Properties.Replicas.map((r) => r.Region))).toEqual([['eu-central-1']]);
  });
});
