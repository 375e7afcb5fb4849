import {
  DEFAULT_MAX_BYTES_PER_MANIFEST,
  DEFAULT_MAX_OBJECTS_PER_MANIFEST,
  readTriggerConfig,
} from '../src/trigger-config';

const complete = {
  ASSETS_BUCKET_NAME: 'glue-platform-dev-assets-222222222222-eu-west-1',
  GLUE_JOB_NAME: 'glue-platform-dev-file-processor',
  POWERTOOLS_SERVICE_NAME: 'glue-trigger',
  POWERTOOLS_METRICS_NAMESPACE: 'GluePlatform/Trigger',
  LEDGER_TABLE_NAME: 'glue-platform-dev-file-ledger',
  LEDGER_RETENTION_DAYS: '400',
  FILE_METRICS_NAMESPACE: 'glue-platform/dev/files',
};

describe('readTriggerConfig', () => {
  test('a complete environment gives the bucket, the job, the ledger, the file metrics and the default caps', () => {
    expect(readTriggerConfig(complete)).toEqual({
      assetsBucketName: complete.ASSETS_BUCKET_NAME,
      glueJobName: complete.GLUE_JOB_NAME,
      maxObjectsPerManifest: DEFAULT_MAX_OBJECTS_PER_MANIFEST,
      maxBytesPerManifest: DEFAULT_MAX_BYTES_PER_MANIFEST,
      ledgerTableName: 'glue-platform-dev-file-ledger',
      ledgerRetentionDays: 400,
      fileMetricsNamespace: 'glue-platform/dev/files',
    });
  });

  test('the default byte cap is 20 GiB', () => {
    expect(DEFAULT_MAX_BYTES_PER_MANIFEST).toBe(21_474_836_480);
  });

  test('MAX_BYTES_PER_MANIFEST overrides the byte cap', () => {
    expect(readTriggerConfig({ ...complete, MAX_BYTES_PER_MANIFEST: '5368709120' }).maxBytesPerManifest).toBe(
      5_368_709_120,
    );
  });

  test.each(['0', '-1', '1.5', '20GiB', '1e400', '9007199254740993'])(
    'a byte cap of "%s" is rejected naming the variable, the value and what is expected',
    (value) => {
      expect(() => readTriggerConfig({ ...complete, MAX_BYTES_PER_MANIFEST: value })).toThrow(
        `MAX_BYTES_PER_MANIFEST is "${value}"; expected a whole number of bytes of at least 1 ` +
          '(or leave it unset for 21474836480, 20 GiB)',
      );
    },
  );

  test('an empty byte cap means the default', () => {
    expect(readTriggerConfig({ ...complete, MAX_BYTES_PER_MANIFEST: ' ' }).maxBytesPerManifest).toBe(
      DEFAULT_MAX_BYTES_PER_MANIFEST,
    );
  });

  test('every problem of the environment is named in one error', () => {
    const env: NodeJS.ProcessEnv = {
      ...complete,
      GLUE_JOB_NAME: undefined,
      MAX_OBJECTS_PER_MANIFEST: '0',
      MAX_BYTES_PER_MANIFEST: 'lots',
    };

    expect(() => readTriggerConfig(env)).toThrow(
      /GLUE_JOB_NAME is missing.*; MAX_OBJECTS_PER_MANIFEST is "0".*; MAX_BYTES_PER_MANIFEST is "lots"/,
    );
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
    'LEDGER_TABLE_NAME',
    'LEDGER_RETENTION_DAYS',
    'FILE_METRICS_NAMESPACE',
  ])('a missing %s is named in the error', (name) => {
    const env: NodeJS.ProcessEnv = { ...complete, [name]: undefined };

    expect(() => readTriggerConfig(env)).toThrow(new RegExp(`${name} is missing or empty`));
  });

  test('a cap that is not a positive whole number is rejected with the expected form', () => {
    expect(() => readTriggerConfig({ ...complete, MAX_OBJECTS_PER_MANIFEST: '0.5' })).toThrow(
      /MAX_OBJECTS_PER_MANIFEST is "0.5"; expected a whole number of at least 1/,
    );
  });

  test.each(['0', '-3', '1.5', 'a year'])(
    'a ledger retention of "%s" is rejected with the expected form',
    (value) => {
      expect(() => readTriggerConfig({ ...complete, LEDGER_RETENTION_DAYS: value })).toThrow(
        `LEDGER_RETENTION_DAYS is "${value}"; expected the days a ledger item is kept as a whole number of at least 1`,
      );
    },
  );

  test('without FILE_METRICS_NAMESPACE the file metrics go beside the trigger namespace <project>/<stage>/trigger', () => {
    const env = {
      ...complete,
      FILE_METRICS_NAMESPACE: undefined,
      POWERTOOLS_METRICS_NAMESPACE: 'glue-etl/dev/trigger',
    };

    expect(readTriggerConfig(env).fileMetricsNamespace).toBe('glue-etl/dev/files');
  });
});
