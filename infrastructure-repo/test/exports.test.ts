import {
  assetsBucketName,
  EXPORT_KEYS,
  exportName,
  fileLedgerTableName,
  glueDatabaseName,
  glueSecurityConfigurationName,
  inputBucketName,
  NameContext,
  outputBucketName,
} from '@glue-platform/shared-constructs';
import { Template } from 'aws-cdk-lib/assertions';

import { DataPlatformStack } from '../lib/data-platform-stack';

import { buildInfrastructure, logicalIdOf } from './support/infrastructure-app';

let stack: DataPlatformStack;
let template: Template;
let ctx: NameContext;
let outputs: Record<string, { Value: unknown; Export?: { Name: string } }>;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;

beforeAll(() => {
  const built = buildInfrastructure();
  stack = built.stack('dev');
  template = built.template('dev');
  ctx = built.ctx('dev');
  outputs = template.findOutputs('*') as typeof outputs;
  resources = template.toJSON().Resources as typeof resources;
});

/** The resource an output's `Ref` points at. */
const referenced = (key: string): { Type: string; Properties: Record<string, unknown> } => {
  const ref = (outputs[key].Value as { Ref?: string }).Ref;
  if (!ref) throw new Error(`output ${key} is not a Ref: ${JSON.stringify(outputs[key].Value)}`);
  return resources[ref];
};

test('every contract key is exported under the contract name, and nothing else is', () => {
  const exported = Object.entries(outputs)
    .filter(([, o]) => o.Export)
    .map(([key, o]) => [key, o.Export?.Name]);
  expect(exported.sort()).toEqual(EXPORT_KEYS.map((key) => [key, exportName(ctx, key)]).sort());
});

test('the bucket exports are the buckets named by the naming module', () => {
  expect(referenced('InputBucketName').Properties.BucketName).toBe(inputBucketName(ctx));
  expect(referenced('OutputBucketName').Properties.BucketName).toBe(outputBucketName(ctx));
  expect(referenced('AssetsBucketName').Properties.BucketName).toBe(assetsBucketName(ctx));
});

test('the Glue exports are the database and security configuration named by the naming module', () => {
  expect(referenced('GlueDatabaseName').Properties.DatabaseInput).toMatchObject({
    Name: glueDatabaseName(ctx),
  });
  expect(referenced('GlueSecurityConfigurationName').Properties.Name).toBe(
    glueSecurityConfigurationName(ctx),
  );
});

test('the ARN exports are the ARNs of the stage key, the Glue job role and the alarm topic', () => {
  expect(outputs.DataKeyArn.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, stack.dataKey.key), 'Arn'] });
  expect(outputs.GlueJobRoleArn.Value).toEqual({
    'Fn::GetAtt': [logicalIdOf(stack, stack.glueJobRole.role), 'Arn'],
  });
  expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: logicalIdOf(stack, stack.alarmTopic.topic) });
});

test('the ledger export is the table named by the naming module', () => {
  expect(referenced('FileLedgerTableName').Properties.TableName).toBe(fileLedgerTableName(ctx));
});
