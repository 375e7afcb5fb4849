import { DEFAULT_MAX_OBJECTS_PER_MANIFEST, readTriggerConfig } from '../src/trigger-config';

const complete = {
  ASSETS_BUCKET_NAME: 'glue-platform-dev-assets-222222222222-eu-west-1',
  GLUE_JOB_NAME: 'glue-platform-dev-file-processor',
  POWERTOOLS_SERVICE_NAME: 'glue-trigger',
  POWERTOOLS_METRICS_NAMESPACE: 'GluePlatform/Trigger',
};

describe('readTriggerConfig', () => {
  test('a complete environment gives the bucket, the job and the default cap', () => {
    expect(readTriggerConfig(complete)).toEqual({
      assetsBucketName: complete.ASSETS_BUCKET_NAME,
      glueJobName: complete.GLUE_JOB_NAME,
      maxObjectsPerManifest: DEFAULT_MAX_OBJECTS_PER_MANIFEST,
    });
  });

  test('MAX_OBJECTS_PER_MANIFEST overrides the cap', () => {
    expect(readTriggerConfig({ ...complete, MAX_OBJECTS_PER_MANIFEST: '250' }).maxObjectsPerManifest).toBe(
      250,
    );
  });

  test.each([
    'ASSETS_BUCKET_NAME',
    'GLUE_JOB_NAME',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_METRICS_NAMESPACE',
  ])('a missing %s is named in the error', (name) => {
    const env: NodeJS.ProcessEnv = { ...complete, [name]: undefined };

    expect(() => readTriggerConfig(env)).toThrow(new RegExp(`${name} is missing or empty`));
  });

  test('a cap that is not a positive whole number is rejected with the expected form', () => {
    expect(() => readTriggerConfig({ ...complete, MAX_OBJECTS_PER_MANIFEST: '0.5' })).toThrow(
      /MAX_OBJECTS_PER_MANIFEST is "0.5"; expected a whole number of at least 1/,
    );
  });
});
