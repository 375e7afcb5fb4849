/**
 * moto's Athena runs no SQL: its documented static-results API queues the answers that the next queries get,
 * one per query. The rows are given as real Athena gives a SELECT's first page: the column names first.
 */
export async function queueAthenaAnswer(
  endpoint: string,
  region: string,
  columns: readonly string[],
  rows: readonly (readonly (string | null)[])[],
): Promise<void> {
  const toRow = (values: readonly (string | null)[]) => ({
    Data: values.map((v) => (v === null ? {} : { VarCharValue: v })),
  });
  const response = await fetch(`${endpoint}/moto-api/static/athena/query-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      region,
      results: [
        {
          rows: [toRow(columns), ...rows.map(toRow)],
          column_info: columns.map((name) => ({
            Name: name,
            Label: name,
            Type: 'varchar',
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Nullable: 'UNKNOWN',
            CaseSensitive: true,
            Precision: 0,
            Scale: 0,
          })),
        },
      ],
    }),
  });
  if (response.status !== 201) throw new Error(`moto refused the Athena answer: ${response.status}`);
}
