import { assetsBucketName, glueDatabaseName, glueJobName, inputBucketName, NameContext } from '../src';

const dev: NameContext = { project: 'glue-etl', stage: 'dev', account: '222222222222', region: 'eu-west-1' };

test('bucket names carry account and region for global uniqueness', () => {
  expect(inputBucketName(dev)).toBe('glue-etl-dev-input-222222222222-eu-west-1');
  expect(assetsBucketName({ ...dev, region: 'us-east-1' })).toBe(
    'glue-etl-dev-assets-222222222222-us-east-1',
  );
});

test('the Glue database name uses underscores where the project has hyphens', () => {
  expect(glueDatabaseName(dev)).toBe('glue_etl_dev');
});

test('job names turn the snake_case job id into kebab-case under the stage prefix', () => {
  expect(glueJobName(dev, 'file_processor')).toBe('glue-etl-dev-file-processor');
});
