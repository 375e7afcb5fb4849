import { readFileSync } from 'node:fs';
import path from 'node:path';

import { METRIC_NAMES } from '../src/telemetry';

/** The trigger's metrics table in docs/operations.md: the backticked names in the first column of its rows. */
const documentedMetrics = (): string[] => {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'operations.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Metrics'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| metric |')));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`(\w+)`/g)].map((match) => match[1] ?? ''));
};

test('every metric the trigger emits is explained in docs/operations.md, and nothing else is listed there', () => {
  expect(documentedMetrics().sort()).toEqual([...METRIC_NAMES].sort());
});
