import * as core from 'zod/v4/core';

import { ContractProblem, formatProblems, validate } from './contract-problems';

/**
 * Thrown with every problem of a document at once. Each contract has its own subclass, so callers tell them apart
 * with instanceof; the name is passed in because bundles minify class names.
 */
export abstract class ContractError extends Error {
  constructor(
    name: string,
    documentKind: string,
    readonly source: string,
    readonly problems: readonly ContractProblem[],
  ) {
    super(`Invalid ${documentKind} ${source}: ${problems.length} problem(s)\n${formatProblems(problems)}`);
    this.name = name;
  }
}

/** `raw` as `schema` parses it; otherwise throws the error `fail` makes of every problem found. */
export function parseContract<T>(
  schema: core.$ZodType<T>,
  raw: unknown,
  fail: (problems: readonly ContractProblem[]) => ContractError,
): T {
  const result = validate(schema, raw);
  if ('problems' in result) throw fail(result.problems);
  return result.data;
}
