import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { DatasetDefinition } from '../lib/dataset-definition';
import { DATASET_REGISTRY, datasetsArgument } from '../lib/dataset-registry';
import { datasetRegistryProblems } from '../lib/validate-dataset-registry';

/**
 * The Python job's tests parse this file as the `--datasets` value it receives, so both languages agree on the
 * format. After changing the registry, rewrite it with:
 *   npx tsx -e "const l=require('./application-repo/lib');require('fs').writeFileSync('application-repo/glue-jobs/file_processor/tests/fixtures/datasets-argument.json',JSON.stringify(JSON.parse(l.datasetsArgument(l.DATASET_REGISTRY)),null,2)+'\n')"
 */
const FIXTURE = path.join(
  __dirname,
  '..',
  'glue-jobs',
  'file_processor',
  'tests',
  'fixtures',
  'datasets-argument.json',
);

const parsed = (registry: readonly DatasetDefinition[]): unknown => JSON.parse(datasetsArgument(registry));

test('the shipped dataset registry is valid', () => {
  expect(datasetRegistryProblems(DATASET_REGISTRY)).toEqual([]);
});

test('the shared fixture is the pretty-printed --datasets value of the shipped registry', () => {
  const expected = `${JSON.stringify(parsed(DATASET_REGISTRY), null, 2)}\n`;
  expect(readFileSync(FIXTURE, 'utf8')).toBe(expected);
});

test('an entry that leaves out its settings is serialized with the defaults', () => {
  expect(parsed([{ dataset: 'events' }])).toEqual({
    events: { columns: {}, newVersion: 'replace', quarantineRatioThreshold: 0.05 },
  });
});

test('the settings an entry gives are serialized as given', () => {
  expect(
    parsed([
      {
        dataset: 'Clicks.v2',
        columns: { clicked_at: 'timestamp' },
        newVersion: 'append',
        quarantineRatioThreshold: 0,
      },
    ]),
  ).toEqual({
    'Clicks.v2': { columns: { clicked_at: 'timestamp' }, newVersion: 'append', quarantineRatioThreshold: 0 },
  });
});

test('the argument does not depend on the order of datasets and columns', () => {
  const a: DatasetDefinition = { dataset: 'b_orders', columns: { z_col: 'int', a_col: 'date' } };
  const b: DatasetDefinition = { dataset: 'a_items', columns: { price: 'decimal(38,4)' } };
  const reordered: DatasetDefinition = { dataset: 'b_orders', columns: { a_col: 'date', z_col: 'int' } };
  expect(datasetsArgument([a, b])).toBe(datasetsArgument([b, reordered]));
});

test('the argument lists datasets and columns with sorted keys, as compact JSON', () => {
  expect(datasetsArgument([{ dataset: 'b', columns: { y: 'int', x: 'date' } }, { dataset: 'a' }])).toBe(
    '{"a":{"columns":{},"newVersion":"replace","quarantineRatioThreshold":0.05},' +
      '"b":{"columns":{"x":"date","y":"int"},"newVersion":"replace","quarantineRatioThreshold":0.05}}',
  );
});

test('an empty registry is an empty object', () => {
  expect(datasetsArgument([])).toBe('{}');
});
