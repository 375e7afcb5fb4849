import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { GLUE_CATALOG_ACTIONS } from '@glue-platform/shared-constructs';

/** The Glue client calls of the job's catalog code, as IAM actions (`get_table` -> `glue:GetTable`). */
const catalogCallsOfTheJob = (): string[] => {
  const source = readFileSync(
    path.join(__dirname, '..', 'glue-jobs', 'file_processor', 'src', 'file_processor', 'glue_catalog.py'),
    'utf8',
  );
  const methods = [...source.matchAll(/\bself\._client\.([a-z_]+)\(/g)].map((match) => match[1] ?? '');
  const actions = methods.map(
    (method) => `glue:${method.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}`,
  );
  return [...new Set(actions)].sort();
};

test('the job calls exactly the catalog actions the infrastructure grants its role', () => {
  expect(catalogCallsOfTheJob()).toEqual([...GLUE_CATALOG_ACTIONS].sort());
});
