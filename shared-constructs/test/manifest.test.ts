import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { datasetTableName, Manifest, manifestKey, manifestSchema } from '../src';
import * as contracts from '../src/contracts';

const fixturePath = path.join(__dirname, '..', 'fixtures', 'manifest.json');

test('the shared manifest fixture satisfies the schema the trigger writes with', () => {
  const fixture: Manifest = manifestSchema.parse(JSON.parse(readFileSync(fixturePath, 'utf8')));
  expect(fixture.objects).toHaveLength(2);
  expect(fixture.table).toBe(datasetTableName(fixture.dataset));
});

test('a manifest with an extra field is rejected so both sides stay in step', () => {
  const raw = { ...(JSON.parse(readFileSync(fixturePath, 'utf8')) as object), priority: 'high' };
  expect(manifestSchema.safeParse(raw).success).toBe(false);
});

test('a manifest without objects is rejected', () => {
  const raw = { ...(JSON.parse(readFileSync(fixturePath, 'utf8')) as object), objects: [] };
  expect(manifestSchema.safeParse(raw).success).toBe(false);
});

test('a manifest whose table is not derived from its dataset is rejected', () => {
  const raw = { ...(JSON.parse(readFileSync(fixturePath, 'utf8')) as object), table: 'sales_eu__quarantine' };
  const result = manifestSchema.safeParse(raw);
  expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['table']);
});

test.each([
  ['Sales-EU', 'sales_eu'],
  ['orders', 'orders'],
  ['2026.Q4 report', '2026_q4_report'],
  ['__', 'dataset'],
])('dataset %p becomes the table name %p', (dataset, table) => {
  expect(datasetTableName(dataset)).toBe(table);
});

test('manifests are keyed by table and UTC day', () => {
  expect(manifestKey('sales_eu', '2026-11-23T10:15:00.000Z', 'abc')).toBe(
    'manifests/sales_eu/2026-11-23/abc.json',
  );
});

test('the contracts entry point, which runtime code imports, holds the same manifest contract', () => {
  const raw = JSON.parse(readFileSync(fixturePath, 'utf8')) as unknown;

  expect(contracts.manifestSchema).toBe(manifestSchema);
  expect(contracts.manifestSchema.safeParse({ ...(raw as object), version: 2 }).success).toBe(false);
  expect(contracts.manifestKey('orders', '2026-11-23T23:59:59.999Z', 'm')).toBe(
    'manifests/orders/2026-11-23/m.json',
  );
});
