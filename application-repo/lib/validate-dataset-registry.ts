import { DATASET_PATTERN, datasetTableName } from '@glue-platform/shared-constructs';

import {
  DatasetDefinition,
  DECIMAL_PRECISION,
  JOB_COLUMNS,
  MAX_DECIMAL_SCALE,
  SIMPLE_COLUMN_TYPES,
} from './dataset-definition';

/** One thing wrong with a dataset entry: which entry and field, the value found and what is expected. */
export interface DatasetRegistryProblem {
  /** `datasets[0].columns["amount"]`, or `datasets[1].dataset`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown with every problem of the registry at once, so a dataset owner fixes them in one go. */
export class DatasetRegistryError extends Error {
  constructor(readonly problems: readonly DatasetRegistryProblem[]) {
    super(
      `Invalid dataset registry (application-repo/lib/dataset-registry.ts): ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'DatasetRegistryError';
  }
}

/** What the job's header normalization produces, so a declared column can match a real one. */
const COLUMN_NAME = /^[a-z][a-z0-9_]{0,127}$/;
/** No spaces and no leading zeros: the one spelling the job compares against. */
const DECIMAL_TYPE = new RegExp(`^decimal\\(${DECIMAL_PRECISION},(0|[1-9][0-9]?)\\)$`);
const NEW_VERSION_POLICIES: readonly unknown[] = ['replace', 'append'];
const ENTRY_FIELDS: readonly string[] = ['dataset', 'columns', 'newVersion', 'quarantineRatioThreshold'];

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

const EXPECTED_TYPE =
  `one of ${SIMPLE_COLUMN_TYPES.join(', ')} or decimal(${DECIMAL_PRECISION},S) ` +
  `with a scale S from 0 to ${MAX_DECIMAL_SCALE}, such as decimal(${DECIMAL_PRECISION},2)`;

function isColumnType(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if ((SIMPLE_COLUMN_TYPES as readonly string[]).includes(value)) return true;
  const scale = DECIMAL_TYPE.exec(value)?.[1];
  return scale !== undefined && Number(scale) <= MAX_DECIMAL_SCALE;
}

function columnProblems(columns: unknown, at: string): DatasetRegistryProblem[] {
  if (columns === undefined) return [];
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    return [
      {
        path: `${at}.columns`,
        message: `got ${show(columns)}; expected an object of normalized column name to type`,
      },
    ];
  }
  const problems: DatasetRegistryProblem[] = [];
  for (const [name, type] of Object.entries(columns)) {
    const path = `${at}.columns[${JSON.stringify(name)}]`;
    if (!COLUMN_NAME.test(name)) {
      problems.push({
        path,
        message:
          `got column name ${show(name)}; expected the normalized name the job gives the header: lowercase ` +
          'letters, digits and underscores, starting with a letter, at most 128 characters (such as order_id)',
      });
    } else if ((JOB_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        path,
        message:
          `got column name ${show(name)}, which the job adds to every row itself ` +
          `(${JOB_COLUMNS.join(', ')}); remove it from the entry`,
      });
    }
    if (!isColumnType(type)) {
      problems.push({ path, message: `got type ${show(type)}; expected ${EXPECTED_TYPE}` });
    }
  }
  return problems;
}

function settingProblems(entry: DatasetDefinition, at: string): DatasetRegistryProblem[] {
  const problems: DatasetRegistryProblem[] = [];
  for (const field of Object.keys(entry)) {
    if (!ENTRY_FIELDS.includes(field)) {
      problems.push({
        path: `${at}.${field}`,
        message: `unknown field ${show(field)} (a typo?); expected only ${ENTRY_FIELDS.join(', ')}`,
      });
    }
  }
  if (entry.newVersion !== undefined && !NEW_VERSION_POLICIES.includes(entry.newVersion)) {
    problems.push({
      path: `${at}.newVersion`,
      message:
        `got ${show(entry.newVersion)}; expected "replace" (a newer version of a key replaces the older ` +
        `version's rows) or "append" (both are kept)`,
    });
  }
  const ratio: unknown = entry.quarantineRatioThreshold;
  if (ratio !== undefined && (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1))) {
    problems.push({
      path: `${at}.quarantineRatioThreshold`,
      message: `got ${show(ratio)}; expected a number from 0 to 1, the share of a run's rows (such as 0.05)`,
    });
  }
  return problems;
}

/**
 * Every problem of the registry: names, duplicates, table-name collisions, declared columns and settings.
 * Two datasets may not share a table: `Orders` and `orders` would write to the same Iceberg table.
 */
export function datasetRegistryProblems(datasets: readonly DatasetDefinition[]): DatasetRegistryProblem[] {
  const problems: DatasetRegistryProblem[] = [];
  const firstByName = new Map<string, number>();
  const firstByTable = new Map<string, number>();
  datasets.forEach((entry, index) => {
    const at = `datasets[${index}]`;
    const name: unknown = entry.dataset;
    // The trigger skips an upload whose folder is outside DATASET_PATTERN, so such an entry would never apply.
    if (typeof name !== 'string' || !DATASET_PATTERN.test(name)) {
      problems.push({
        path: `${at}.dataset`,
        message:
          `got ${show(name)}; expected the folder name under incoming/: 1 to 100 letters, digits, ` +
          '"_", "." or "-", starting with a letter or digit',
      });
    } else {
      const sameName = firstByName.get(name);
      const table = datasetTableName(name);
      const sameTable = firstByTable.get(table);
      if (sameName !== undefined) {
        problems.push({
          path: `${at}.dataset`,
          message: `duplicate dataset "${name}", already used by datasets[${sameName}]`,
        });
      } else if (sameTable !== undefined) {
        problems.push({
          path: `${at}.dataset`,
          message:
            `got "${name}", whose table name "${table}" is already the table of datasets[${sameTable}] ` +
            `("${datasets[sameTable]?.dataset}"); rename one of the two folders`,
        });
      }
      if (sameName === undefined) firstByName.set(name, index);
      if (sameTable === undefined) firstByTable.set(table, index);
    }
    problems.push(...columnProblems(entry.columns, at), ...settingProblems(entry, at));
  });
  return problems;
}

/** Returns the registry unchanged when it is valid; throws a DatasetRegistryError listing every problem otherwise. */
export function validateDatasetRegistry(
  datasets: readonly DatasetDefinition[],
): readonly DatasetDefinition[] {
  const problems = datasetRegistryProblems(datasets);
  if (problems.length > 0) throw new DatasetRegistryError(problems);
  return datasets;
}
