import {
  DEFAULT_MAX_VERSIONS_LISTED,
  readReconciliationConfig,
} from '../../src/reconciliation/reconciliation-config';

const GOOD = {
  INPUT_BUCKET_NAME: 'glue-etl-dev-input-222222222222-eu-west-1',
  LEDGER_TABLE_NAME: 'glue-etl-dev-file-ledger',
  ASSETS_BUCKET_NAME: 'glue-etl-dev-assets-222222222222-eu-west-1',
  MIN_AGE_MINUTES: '240',
  LEDGER_RETENTION_DAYS: '400',
  POWERTOOLS_SERVICE_NAME: 'file-reconciliation',
  POWERTOOLS_METRICS_NAMESPACE: 'glue-etl/dev/reconciliation',
};

test('the environment the stack sets is read, with the default version limit', () => {
  expect(readReconciliationConfig(GOOD)).toEqual({
    inputBucketName: GOOD.INPUT_BUCKET_NAME,
    ledgerTableName: GOOD.LEDGER_TABLE_NAME,
    assetsBucketName: GOOD.ASSETS_BUCKET_NAME,
    minAgeMinutes: 240,
    ledgerRetentionDays: 400,
    maxVersionsListed: DEFAULT_MAX_VERSIONS_LISTED,
  });
});

test('a version limit can be set', () => {
  expect(readReconciliationConfig({ ...GOOD, MAX_VERSIONS_LISTED: '5000' }).maxVersionsListed).toBe(5000);
});

test('every missing variable is named at once, with what it should hold', () => {
  expect(() => readReconciliationConfig({})).toThrow(
    new Error(
      'Reconciliation configuration: environment variable INPUT_BUCKET_NAME is missing or empty; expected the ' +
        'name of the stage input bucket; environment variable LEDGER_TABLE_NAME is missing or empty; expected ' +
        'the name of the file ledger table; environment variable ASSETS_BUCKET_NAME is missing or empty; ' +
        'expected the name of the stage assets bucket; environment variable POWERTOOLS_SERVICE_NAME is missing ' +
        'or empty; expected the service name on every log line and metric; environment variable ' +
        'POWERTOOLS_METRICS_NAMESPACE is missing or empty; expected the CloudWatch namespace of the ' +
        'reconciliation metrics; environment variable MIN_AGE_MINUTES is missing or empty; expected a whole ' +
        'number of minutes of at least 1; environment variable LEDGER_RETENTION_DAYS is missing or empty; ' +
        'expected a whole number of days of at least 1.',
    ),
  );
});

test.each([
  ['MIN_AGE_MINUTES', 'four hours', /MIN_AGE_MINUTES is "four hours"; expected a whole number of minutes/],
  [
    'LEDGER_RETENTION_DAYS',
    '0',
    /LEDGER_RETENTION_DAYS is "0"; expected a whole number of days of at least 1/,
  ],
  ['MAX_VERSIONS_LISTED', '1.5', /MAX_VERSIONS_LISTED is "1.5"; expected a whole number of at least 1/],
])('%s of %s is refused, naming the variable and what is expected', (name, value, message) => {
  expect(() => readReconciliationConfig({ ...GOOD, [name]: value })).toThrow(message);
});

test('a minimum age as long as the ledger retention is refused: nothing could ever be checked', () => {
  expect(() =>
    readReconciliationConfig({ ...GOOD, MIN_AGE_MINUTES: '1440', LEDGER_RETENTION_DAYS: '1' }),
  ).toThrow(/MIN_AGE_MINUTES \(1440\) must be shorter than LEDGER_RETENTION_DAYS \(1 days\)/);
});
