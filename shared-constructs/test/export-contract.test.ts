import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';

import { EXPORT_KEYS, exportName, exportValue, importValue, NameContext } from '../src';

const dev: NameContext = { project: 'glue-etl', stage: 'dev', account: '222222222222', region: 'eu-west-1' };

test('an exported value is published under the contract name with the key as logical id', () => {
  const stack = new Stack(new App(), 'Exporter');
  const bucket = new CfnBucket(stack, 'Input');
  exportValue(stack, dev, 'InputBucketName', bucket.ref);
  Template.fromStack(stack).hasOutput('InputBucketName', {
    Value: { Ref: stack.getLogicalId(bucket) },
    Export: { Name: 'glue-etl-dev-InputBucketName' },
  });
});

test('an import resolves to Fn::ImportValue of the same contract name', () => {
  const stack = new Stack(new App(), 'Importer');
  expect(stack.resolve(importValue(dev, 'GlueJobRoleArn'))).toEqual({
    'Fn::ImportValue': 'glue-etl-dev-GlueJobRoleArn',
  });
});

test('export names differ between stages and keys, so stages in one account never collide', () => {
  const prod = { ...dev, stage: 'prod' };
  const names = EXPORT_KEYS.flatMap((key) => [exportName(dev, key), exportName(prod, key)]);
  expect(new Set(names).size).toBe(EXPORT_KEYS.length * 2);
});

test('export names use only the characters CloudFormation allows', () => {
  for (const key of EXPORT_KEYS) expect(exportName(dev, key)).toMatch(/^[A-Za-z0-9:-]{1,255}$/);
});
