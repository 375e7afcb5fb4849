import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** DescribeChangeSet output as `aws cloudformation describe-change-set --include-property-values` prints it. */
export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as unknown;

export const PROD_INFRASTRUCTURE = {
  stackName: 'glue-etl-prod-infrastructure',
  changeSetName: 'PipelineChange',
  account: '333333333333',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::333333333333:role/cdk-hnb659fds-lookup-role-333333333333-eu-west-1',
};
export const PROD_APPLICATION = { ...PROD_INFRASTRUCTURE, stackName: 'glue-etl-prod-application' };
