import { ColumnType, DATASET_DEFAULTS, DatasetDefinition, NewVersionPolicy } from './dataset-definition';

/**
 * Datasets with settings of their own. The registry is deployed with the `file_processor` job as its `--datasets`
 * argument (see datasetsArgument) and validated on every synth (see validate-dataset-registry.ts).
 */
export const DATASET_REGISTRY: readonly DatasetDefinition[] = [
  {
    dataset: 'orders',
    columns: {
      // Order ids outgrow int; declaring bigint keeps the first small file from fixing the table at int.
      order_id: 'bigint',
      amount: 'decimal(38,2)',
      order_date: 'date',
    },
    newVersion: 'replace',
    quarantineRatioThreshold: 0.05,
  },
];

/** One registry entry as the job reads it: every field present, defaults applied. */
export interface ResolvedDataset {
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly newVersion: NewVersionPolicy;
  readonly quarantineRatioThreshold: number;
}

const sortedRecord = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The registry keyed by dataset, with defaults applied and every key sorted. */
export function resolveDatasets(registry: readonly DatasetDefinition[]): Record<string, ResolvedDataset> {
  return sortedRecord(
    Object.fromEntries(
      registry.map((entry): [string, ResolvedDataset] => [
        entry.dataset,
        {
          columns: sortedRecord(entry.columns ?? {}),
          newVersion: entry.newVersion ?? DATASET_DEFAULTS.newVersion,
          quarantineRatioThreshold:
            entry.quarantineRatioThreshold ?? DATASET_DEFAULTS.quarantineRatioThreshold,
        },
      ]),
    ),
  );
}

/**
 * The value of the job's `--datasets` argument: compact JSON of `resolveDatasets`. Sorted keys make the template
 * change only when the registry does, whatever the order of its entries and columns.
 */
export const datasetsArgument = (registry: readonly DatasetDefinition[]): string =>
  JSON.stringify(resolveDatasets(registry));
