import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';

import type { Clients } from './clients';
import { aws, AwsAccessError } from './errors';
import type { CliIo } from './io';

export interface QueryOptions {
  readonly workgroup: string;
  /** `s3://...` where Athena writes the result files. */
  readonly outputLocation: string;
  readonly database: string;
  readonly timeoutSeconds: number;
}

export interface QueryAnswer {
  readonly queryExecutionId: string;
  /** Rows as objects keyed by column name; null for SQL NULL. */
  readonly rows: Record<string, string | null>[];
  /** Set when the table does not exist (nothing was ever written to it). */
  readonly missingTable: boolean;
}

/** A quoted SQL string literal. */
export const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A quoted SQL identifier (Athena: double quotes). */
export const sqlName = (value: string): string => `"${value.replace(/"/g, '""')}"`;

const POLL_MS = 500;

/** Runs one query to its end and reads every page of its answer. */
export async function runQuery(
  io: CliIo,
  clients: Clients,
  sql: string,
  options: QueryOptions,
): Promise<QueryAnswer> {
  const started = await aws(`starting an Athena query in workgroup ${options.workgroup}`, () =>
    clients.athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: options.workgroup,
        QueryExecutionContext: { Database: options.database },
        ResultConfiguration: { OutputLocation: options.outputLocation },
      }),
    ),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena StartQueryExecution answered without a QueryExecutionId');
  const deadline = io.now().getTime() + options.timeoutSeconds * 1000;
  for (;;) {
    const { QueryExecution: execution } = await aws(`following the Athena query ${id}`, () =>
      clients.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
    );
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution?.Status?.StateChangeReason ?? 'no reason given';
      if (/TABLE_NOT_FOUND|does not exist|not found/i.test(reason)) {
        return { queryExecutionId: id, rows: [], missingTable: true };
      }
      throw new AwsAccessError(`The Athena query ${id} ${state.toLowerCase()}: ${reason}`);
    }
    if (io.now().getTime() >= deadline) {
      throw new AwsAccessError(
        `The Athena query ${id} did not finish within ${options.timeoutSeconds}s (state ${state ?? 'unknown'})`,
      );
    }
    await io.sleep(POLL_MS);
  }

  const rows: Record<string, string | null>[] = [];
  let names: string[] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await aws(`reading the answer of the Athena query ${id}`, () =>
      clients.athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token })),
    );
    if (first) names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const values = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
    // A SELECT's first page starts with the column names as a row.
    if (first && values[0] && values[0].every((v, i) => v === names[i])) values.shift();
    for (const row of values) rows.push(Object.fromEntries(names.map((name, i) => [name, row[i] ?? null])));
    token = page.NextToken;
    first = false;
  } while (token);
  return { queryExecutionId: id, rows, missingTable: false };
}
