import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  DEFAULT_CONFIG_PATH,
  loadPlatformConfig,
  parsePlatformConfig,
  pipelineConfigFile,
  placeholderConfig,
  PlatformConfigError,
  PlatformConfigInput,
  resolveConfigPath,
} from '../src';

const good = (): PlatformConfigInput => placeholderConfig();

/** Runs the parser and returns the problems it reports, or fails the test if it accepted the config. */
function problemsOf(raw: unknown): PlatformConfigError {
  try {
    parsePlatformConfig(raw, 'test.json');
  } catch (e) {
    if (e instanceof PlatformConfigError) return e;
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

type Json = Record<string, unknown>;

/** A copy of the good config with the fields at the given paths (`stages[0].account`) set; `undefined` deletes. */
const withFields = (fields: Record<string, unknown>): unknown => {
  const config = JSON.parse(JSON.stringify(good())) as Json;
  for (const [field, value] of Object.entries(fields)) {
    const keys = field.split(/[.[\]]+/).filter(Boolean);
    const last = keys.pop() as string;
    const parent = keys.reduce<Json>((node, key) => node[key] as Json, config);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return config;
};

test('the good config parses and gets defaults for optional stage fields', () => {
  const config = parsePlatformConfig(good());
  expect(config.stages.map((s) => s.name)).toEqual(['dev', 'prod']);
  expect(config.stages[0]).toMatchObject({
    requireApproval: false,
    smokeTest: false,
    retainData: false,
    glueExecutionClass: 'STANDARD',
  });
});

test('a config without tableMaintenance gets the default retention and schedule', () => {
  expect(parsePlatformConfig(good()).tableMaintenance).toEqual({
    snapshotRetentionDays: 7,
    schedule: 'cron(30 3 * * ? *)',
  });
});

test('a valid tableMaintenance section is kept as given', () => {
  const config = parsePlatformConfig(
    withFields({ tableMaintenance: { snapshotRetentionDays: 30, schedule: 'cron(0 2 ? * SUN *)' } }),
  );
  expect(config.tableMaintenance).toEqual({ snapshotRetentionDays: 30, schedule: 'cron(0 2 ? * SUN *)' });
});

test('a tableMaintenance section with only a retention gets the default schedule', () => {
  const config = parsePlatformConfig(withFields({ tableMaintenance: { snapshotRetentionDays: 1 } }));
  expect(config.tableMaintenance).toEqual({ snapshotRetentionDays: 1, schedule: 'cron(30 3 * * ? *)' });
});

test('a config without fileLedger gets the default retention, reconciliation age and schedule', () => {
  expect(parsePlatformConfig(good()).fileLedger).toEqual({
    retentionDays: 400,
    reconciliation: { minAgeMinutes: 240, schedule: 'rate(1 hour)' },
  });
});

test('a valid fileLedger section is kept as given, with a rate or a cron schedule', () => {
  for (const schedule of ['rate(15 minutes)', 'rate(1 day)', 'cron(0 */2 * * ? *)']) {
    const fileLedger = { retentionDays: 90, reconciliation: { minAgeMinutes: 60, schedule } };
    expect(parsePlatformConfig(withFields({ fileLedger })).fileLedger).toEqual(fileLedger);
  }
});

test('a fileLedger section with only a retention gets the default reconciliation', () => {
  const config = parsePlatformConfig(withFields({ fileLedger: { retentionDays: 30 } }));
  expect(config.fileLedger).toEqual({
    retentionDays: 30,
    reconciliation: { minAgeMinutes: 240, schedule: 'rate(1 hour)' },
  });
});

test('the embedded default config is valid and uses only placeholder accounts', () => {
  const config = loadPlatformConfig({ env: {} });
  const accounts = [config.pipeline.account, ...config.stages.map((s) => s.account)];
  expect(accounts).toEqual(['111111111111', '222222222222', '333333333333']);
});

describe('a bad config is rejected with the field, the value and what is expected', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    [
      'an 11-digit account',
      withFields({ 'stages[0].account': '22222222222' }),
      'stages[0].account',
      /"22222222222".*12 digits/,
    ],
    [
      'an account given as a number',
      withFields({ 'pipeline.account': 111111111111 }),
      'pipeline.account',
      /12 digits/,
    ],
    [
      'an unknown key at the top',
      withFields({ stagse: [] }),
      'stagse',
      /unknown key "stagse".*allowed keys here: project, pipeline, source/,
    ],
    [
      'an unknown key in a stage',
      withFields({ 'stages[1].retain_data': true }),
      'stages[1].retain_data',
      /unknown key "retain_data".*retainData/,
    ],
    [
      'a region that does not exist',
      withFields({ 'stages[1].region': 'eu-west-9' }),
      'stages[1].region',
      /"eu-west-9".*AWS region/,
    ],
    [
      'duplicate stage names',
      withFields({ 'stages[1].name': 'dev' }),
      'stages[1].name',
      /unique.*stages\[0\]/,
    ],
    [
      'an uppercase stage name',
      withFields({ 'stages[0].name': 'Dev' }),
      'stages[0].name',
      /"Dev".*lowercase/,
    ],
    [
      'a retained stage without approval',
      withFields({ 'stages[1].requireApproval': false }),
      'stages[1].requireApproval',
      /retains data.*approved/,
    ],
    ['no stages', withFields({ stages: [] }), 'stages', /at least one stage/],
    [
      'a malformed connection ARN',
      withFields({ 'source.connectionArn': 'arn:aws:s3:::bucket' }),
      'source.connectionArn',
      /codeconnections/,
    ],
    [
      'a repository without an owner',
      withFields({ 'source.repository': 'platform' }),
      'source.repository',
      /owner\/name/,
    ],
    [
      'a missing project',
      withFields({ project: undefined }),
      'project',
      /got nothing; expected a project name/,
    ],
    ['a non-boolean flag', withFields({ 'stages[0].smokeTest': 'yes' }), 'stages[0].smokeTest', /"yes"/],
    [
      'an unknown execution class',
      withFields({ 'stages[0].glueExecutionClass': 'SPOT' }),
      'stages[0].glueExecutionClass',
      /"SPOT"/,
    ],
    [
      'a snapshot retention of zero days',
      withFields({ tableMaintenance: { snapshotRetentionDays: 0 } }),
      'tableMaintenance.snapshotRetentionDays',
      /got 0; expected a whole number of days from 1 to 365/,
    ],
    [
      'a snapshot retention beyond a year',
      withFields({ tableMaintenance: { snapshotRetentionDays: 366 } }),
      'tableMaintenance.snapshotRetentionDays',
      /got 366; expected a whole number of days from 1 to 365/,
    ],
    [
      'a snapshot retention in fractional days',
      withFields({ tableMaintenance: { snapshotRetentionDays: 1.5 } }),
      'tableMaintenance.snapshotRetentionDays',
      /got 1\.5; expected a whole number of days/,
    ],
    [
      'a maintenance schedule in five-field Unix cron',
      withFields({ tableMaintenance: { schedule: 'cron(30 3 * * *)' } }),
      'tableMaintenance.schedule',
      /got "cron\(30 3 \* \* \*\)"; expected an AWS cron expression with 6 fields/,
    ],
    [
      'a maintenance schedule that is a rate expression',
      withFields({ tableMaintenance: { schedule: 'rate(1 day)' } }),
      'tableMaintenance.schedule',
      /got "rate\(1 day\)"; expected an AWS cron expression with 6 fields/,
    ],
    [
      'a maintenance schedule with both day fields set',
      withFields({ tableMaintenance: { schedule: 'cron(30 3 * * * *)' } }),
      'tableMaintenance.schedule',
      /"\?" in exactly one of day-of-month .* and day-of-week/,
    ],
    [
      'an unknown key in tableMaintenance',
      withFields({ tableMaintenance: { retentionDays: 7 } }),
      'tableMaintenance.retentionDays',
      /unknown key "retentionDays".*allowed keys here: snapshotRetentionDays, schedule/,
    ],
    [
      'a ledger retention of zero days',
      withFields({ fileLedger: { retentionDays: 0 } }),
      'fileLedger.retentionDays',
      /got 0; expected a whole number of days from 1 to 3650/,
    ],
    [
      'a ledger retention beyond ten years',
      withFields({ fileLedger: { retentionDays: 3651 } }),
      'fileLedger.retentionDays',
      /got 3651; expected a whole number of days from 1 to 3650/,
    ],
    [
      'a ledger retention given as text',
      withFields({ fileLedger: { retentionDays: '400' } }),
      'fileLedger.retentionDays',
      /got "400"; expected a whole number of days/,
    ],
    [
      'a reconciliation age shorter than a quarter of an hour',
      withFields({ fileLedger: { reconciliation: { minAgeMinutes: 5 } } }),
      'fileLedger.reconciliation.minAgeMinutes',
      /got 5; expected a whole number of minutes from 15 to 10080/,
    ],
    [
      'a reconciliation age in fractional minutes',
      withFields({ fileLedger: { reconciliation: { minAgeMinutes: 60.5 } } }),
      'fileLedger.reconciliation.minAgeMinutes',
      /got 60\.5; expected a whole number of minutes/,
    ],
    [
      'a reconciliation rate with a plural unit for one',
      withFields({ fileLedger: { reconciliation: { schedule: 'rate(1 hours)' } } }),
      'fileLedger.reconciliation.schedule',
      /got "rate\(1 hours\)"; expected "rate\(<n> <unit>\)"/,
    ],
    [
      'a reconciliation schedule in five-field Unix cron',
      withFields({ fileLedger: { reconciliation: { schedule: 'cron(0 * * * *)' } } }),
      'fileLedger.reconciliation.schedule',
      /got "cron\(0 \* \* \* \*\)"; expected .*AWS cron expression with 6 fields/,
    ],
    [
      'a reconciliation cron with both day fields set',
      withFields({ fileLedger: { reconciliation: { schedule: 'cron(0 * * * * *)' } } }),
      'fileLedger.reconciliation.schedule',
      /"\?" in exactly one of day-of-month .* and day-of-week/,
    ],
    [
      'an unknown key in fileLedger',
      withFields({ fileLedger: { ttlDays: 400 } }),
      'fileLedger.ttlDays',
      /unknown key "ttlDays".*allowed keys here: retentionDays, reconciliation/,
    ],
    [
      'an unknown key in the reconciliation',
      withFields({ fileLedger: { reconciliation: { minAge: 60 } } }),
      'fileLedger.reconciliation.minAge',
      /unknown key "minAge".*allowed keys here: minAgeMinutes, schedule/,
    ],
    [
      'a connection ARN of another account',
      withFields({
        'source.connectionArn': 'arn:aws:codeconnections:eu-west-1:222222222222:connection/abc-123',
      }),
      'source.connectionArn',
      /pipeline account 111111111111 in its region eu-west-1 \(this one is in account 222222222222, region eu-west-1\)/,
    ],
    [
      'a connection ARN of another region',
      withFields({
        'source.connectionArn': 'arn:aws:codestar-connections:us-east-1:111111111111:connection/abc-123',
      }),
      'source.connectionArn',
      /this one is in account 111111111111, region us-east-1/,
    ],
    [
      'a branch written as a ref',
      withFields({ 'source.branch': 'refs/heads/main' }),
      'source.branch',
      /"refs\/heads\/main"; expected a branch name such as "main", not a git ref/,
    ],
    [
      "an app's own branch written as a ref",
      withFields({ 'source.application': { repository: 'example-org/app', branch: 'refs/heads/dev' } }),
      'source.application.branch',
      /not a git ref/,
    ],
    [
      "a stage whose resource prefix starts with another stage's",
      withFields({ 'stages[1].name': 'dev-eu', 'stages[1].account': '222222222222' }),
      'stages[1].name',
      /"dev-eu".*prefix "dev-eu-" of this stage starts with "dev-" of stages\[0\]/,
    ],
    [
      'a stage listed before the one whose prefix it extends',
      withFields({ 'stages[0].name': 'prod-a' }),
      'stages[0].name',
      /"prod-a".*starts with "prod-" of stages\[1\]/,
    ],
  ];

  test.each(cases)('%s', (_what, raw, field, message) => {
    const error = problemsOf(raw);
    const problem = error.problems.find((p) => p.path === field);
    expect(problem).toBeDefined();
    expect(error.message).toContain(`${field}: got`);
    expect(error.message).toMatch(message);
  });
});

test('names that overflow the 63-character S3 limit stop the config with the bucket named', () => {
  const raw = withFields({
    project: 'a-very-long-name',
    'stages[0].name': 'integration',
    'stages[0].region': 'ap-southeast-2',
  });
  const error = problemsOf(raw);
  expect(error.message).toMatch(
    /stages\[0\]\.name: got "integration"; access-log bucket name "a-very-long-name-integration-access-logs-222222222222-ap-southeast-2" must have 3-63 characters, got 68/,
  );
});

test('stage names that share letters but not a prefix and a hyphen are accepted', () => {
  const config = parsePlatformConfig(withFields({ 'stages[0].name': 'dev', 'stages[1].name': 'devtest' }));
  expect(config.stages.map((s) => s.name)).toEqual(['dev', 'devtest']);
});

test('every problem is listed at once, not only the first', () => {
  const raw = withFields({ 'stages[0].account': '1', 'stages[1].region': 'mars-1', typo: true });
  const error = problemsOf(raw);
  expect(error.problems.map((p) => p.path).sort()).toEqual(['stages[0].account', 'stages[1].region', 'typo']);
});

test('a file that is not JSON is rejected with the parser message', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  const file = path.join(dir, 'broken.json');
  writeFileSync(file, '{ "project": ');
  expect(() => loadPlatformConfig({ contextPath: file })).toThrow(/broken\.json.*valid JSON/s);
});

test('a missing file is named in the error', () => {
  expect(() => loadPlatformConfig({ contextPath: 'no/such/config.json' })).toThrow(
    /no\/such\/config\.json.*exist/s,
  );
});

describe('choosing the config file', () => {
  test('-c config=PATH wins over PLATFORM_CONFIG', () => {
    expect(resolveConfigPath({ contextPath: 'a.json', env: { PLATFORM_CONFIG: 'b.json' } })).toBe(
      path.resolve('a.json'),
    );
  });

  test('PLATFORM_CONFIG is used when no context path is given', () => {
    expect(resolveConfigPath({ env: { PLATFORM_CONFIG: 'b.json' } })).toBe(path.resolve('b.json'));
  });

  test('the embedded default is used when neither is given', () => {
    expect(resolveConfigPath({ env: {} })).toBe(DEFAULT_CONFIG_PATH);
  });

  test('a file chosen by PLATFORM_CONFIG is loaded and validated', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
    const file = path.join(dir, 'three-stages.json');
    const three = good();
    three.stages.splice(1, 0, {
      name: 'staging',
      account: '222222222222',
      region: 'eu-central-1',
      requireApproval: true,
    });
    writeFileSync(file, JSON.stringify(three));
    expect(loadPlatformConfig({ env: { PLATFORM_CONFIG: file } }).stages.map((s) => s.name)).toEqual([
      'dev',
      'staging',
      'prod',
    ]);
  });
});

describe('the config file a pipeline synthesizes with', () => {
  test('the embedded default config needs no argument', () => {
    expect(pipelineConfigFile(DEFAULT_CONFIG_PATH)).toBeUndefined();
  });

  test('a config file inside the repository is named relative to its root', () => {
    const file = path.join(path.dirname(DEFAULT_CONFIG_PATH), 'configs', 'three-stages.json');
    expect(pipelineConfigFile(file)).toBe('configs/three-stages.json');
  });

  test('a config file outside the repository is refused with the reason', () => {
    expect(() => pipelineConfigFile(path.join(path.sep, 'elsewhere', 'platform.json'))).toThrow(
      /outside the repository.*commit the config file inside it/s,
    );
  });
});
