import { ColumnType, DatasetDefinition } from '../lib/dataset-definition';
import {
  DatasetRegistryError,
  datasetRegistryProblems,
  validateDatasetRegistry,
} from '../lib/validate-dataset-registry';

const entry = (overrides: Partial<DatasetDefinition> = {}): DatasetDefinition => ({
  dataset: 'orders',
  columns: { order_id: 'bigint' },
  ...overrides,
});

/** What an author could write past the type checker (a cast, or a registry built from JSON). */
const untyped = (value: unknown) => value as never;

const problemsOf = (datasets: readonly DatasetDefinition[]) =>
  datasetRegistryProblems(datasets).map((p) => `${p.path}: ${p.message}`);

test('a valid registry is returned unchanged', () => {
  const datasets = [entry(), entry({ dataset: 'clicks', newVersion: 'append', quarantineRatioThreshold: 1 })];
  expect(validateDatasetRegistry(datasets)).toBe(datasets);
});

test('every simple type and decimals with scales 0 to 18 are accepted', () => {
  const types: ColumnType[] = [
    'string',
    'boolean',
    'int',
    'bigint',
    'double',
    'date',
    'timestamp',
    'decimal(38,0)',
    'decimal(38,18)',
  ];
  const columns = Object.fromEntries(types.map((type, i) => [`c${i}`, type]));
  expect(problemsOf([entry({ columns })])).toEqual([]);
});

test('a dataset name the trigger would skip is refused with the value and the rule', () => {
  expect(problemsOf([entry({ dataset: 'my orders' })])).toEqual([
    expect.stringMatching(
      /^datasets\[0\]\.dataset: got "my orders"; expected the folder name under incoming\//,
    ),
  ]);
});

test('a dataset name of 101 characters is refused', () => {
  const long = `a${'b'.repeat(100)}`;
  expect(problemsOf([entry({ dataset: long })])).toEqual([
    expect.stringContaining(`datasets[0].dataset: got "${long}"; expected`),
  ]);
});

test('a duplicate dataset names the entry it repeats', () => {
  expect(problemsOf([entry(), entry()])).toEqual([
    'datasets[1].dataset: duplicate dataset "orders", already used by datasets[0]',
  ]);
});

test('two datasets whose table names collide are refused with the shared table name', () => {
  expect(problemsOf([entry({ dataset: 'daily-sales' }), entry({ dataset: 'Daily.Sales' })])).toEqual([
    'datasets[1].dataset: got "Daily.Sales", whose table name "daily_sales" is already the table of datasets[0] ' +
      '("daily-sales"); rename one of the two folders',
  ]);
});

test('a column name that is not normalized snake_case is refused', () => {
  expect(problemsOf([entry({ columns: { 'Order ID': 'bigint', '1st': 'int' } })])).toEqual([
    expect.stringMatching(
      /^datasets\[0\]\.columns\["Order ID"\]: got column name "Order ID"; expected the normalized/,
    ),
    expect.stringMatching(/^datasets\[0\]\.columns\["1st"\]: got column name "1st"; expected the normalized/),
  ]);
});

test('a column name longer than 128 characters is refused', () => {
  const long = `c${'x'.repeat(128)}`;
  expect(problemsOf([entry({ columns: { [long]: 'string' } })])).toEqual([
    expect.stringContaining(`got column name "${long}"; expected the normalized name`),
  ]);
});

test.each(['processed_at', 'source_file', 'source_key', 'source_version', 'processing_job'])(
  'the job column %s cannot be declared',
  (column) => {
    expect(problemsOf([entry({ columns: { [column]: 'string' } })])).toEqual([
      `datasets[0].columns["${column}"]: got column name "${column}", which the job adds to every row itself ` +
        '(processed_at, source_file, source_key, source_version, processing_job); remove it from the entry',
    ]);
  },
);

test.each([
  'varchar',
  'decimal(38,19)',
  'decimal(10,2)',
  'decimal(38, 2)',
  'decimal(38,02)',
  'BIGINT',
  'float',
])('the column type %s is refused with the types that are allowed', (type) => {
  expect(problemsOf([entry({ columns: { amount: untyped(type) } })])).toEqual([
    `datasets[0].columns["amount"]: got type "${type}"; expected one of string, boolean, int, bigint, double, ` +
      'date, timestamp or decimal(38,S) with a scale S from 0 to 18, such as decimal(38,2)',
  ]);
});

test('columns that are not an object are refused', () => {
  expect(problemsOf([entry({ columns: untyped(['order_id']) })])).toEqual([
    'datasets[0].columns: got ["order_id"]; expected an object of normalized column name to type',
  ]);
});

test('a new-version policy other than replace or append is refused', () => {
  expect(problemsOf([entry({ newVersion: untyped('merge') })])).toEqual([
    expect.stringMatching(/^datasets\[0\]\.newVersion: got "merge"; expected "replace" .* or "append"/),
  ]);
});

test.each([-0.01, 1.5, Number.NaN])('a quarantine ratio threshold of %p is refused', (ratio) => {
  expect(problemsOf([entry({ quarantineRatioThreshold: ratio })])).toEqual([
    expect.stringMatching(/^datasets\[0\]\.quarantineRatioThreshold: got .*; expected a number from 0 to 1/),
  ]);
});

test('a quarantine ratio threshold given as text is refused', () => {
  expect(problemsOf([entry({ quarantineRatioThreshold: untyped('5%') })])).toEqual([
    expect.stringMatching(
      /^datasets\[0\]\.quarantineRatioThreshold: got "5%"; expected a number from 0 to 1/,
    ),
  ]);
});

test('an unknown field is refused with the fields an entry may have', () => {
  expect(problemsOf([untyped({ dataset: 'orders', newversion: 'append' })])).toEqual([
    'datasets[0].newversion: unknown field "newversion" (a typo?); expected only dataset, columns, newVersion, ' +
      'quarantineRatioThreshold',
  ]);
});

test('the error lists every problem at once', () => {
  const attempt = () =>
    validateDatasetRegistry([
      entry({ dataset: 'bad name' }),
      entry({ columns: { Amount: untyped('money') } }),
      entry({ dataset: 'ORDERS', newVersion: untyped('merge'), quarantineRatioThreshold: 2 }),
    ]);
  expect(attempt).toThrow(DatasetRegistryError);
  expect(attempt).toThrow(
    /6 problem\(s\)[\s\S]*datasets\[0\]\.dataset[\s\S]*datasets\[1\]\.columns\["Amount"\]: got column name[\s\S]*datasets\[1\]\.columns\["Amount"\]: got type "money"[\s\S]*datasets\[2\]\.dataset: got "ORDERS", whose table name "orders"[\s\S]*datasets\[2\]\.newVersion[\s\S]*datasets\[2\]\.quarantineRatioThreshold/,
  );
});
