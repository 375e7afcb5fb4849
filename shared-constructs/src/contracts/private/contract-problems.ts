import * as core from 'zod/v4/core';

/** One thing wrong with a document: where, what was found, what is expected. */
export interface ContractProblem {
  /** Field path such as `files[1].rowsRead`; empty for the whole document. */
  readonly path: string;
  readonly value: unknown;
  readonly expected: string;
}

export const formatPath = (segments: readonly PropertyKey[]): string =>
  segments.reduce<string>((acc, seg) => {
    if (typeof seg === 'number') return `${acc}[${seg}]`;
    return acc ? `${acc}.${String(seg)}` : String(seg);
  }, '');

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** The problems as lines in the format of the config loader's errors, so operators read one style. */
export const formatProblems = (problems: readonly ContractProblem[]): string =>
  problems.map((p) => `  - ${p.path || '(document)'}: got ${show(p.value)}; ${p.expected}`).join('\n');

const valueAt = (root: unknown, segments: readonly PropertyKey[]): unknown =>
  segments.reduce<unknown>(
    (node, seg) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[seg] : undefined,
    root,
  );

type Schema = core.$ZodType;

/** Core classes, so the helper serves schemas of classic zod and of zod/mini alike. */
function unwrap(schema: Schema): Schema {
  let current = schema;
  while (
    current instanceof core.$ZodOptional ||
    current instanceof core.$ZodNullable ||
    current instanceof core.$ZodDefault
  ) {
    current = current._zod.def.innerType;
  }
  return current;
}

/** The keys a strict object of `root` accepts at `segments`, for the unknown-key message. */
function allowedKeys(root: Schema, segments: readonly PropertyKey[]): string[] {
  let schema: Schema | undefined = root;
  for (const seg of segments) {
    const def: Schema | undefined = schema && unwrap(schema);
    if (def instanceof core.$ZodObject) schema = def._zod.def.shape[String(seg)];
    else if (def instanceof core.$ZodArray) schema = def._zod.def.element;
  }
  const def = schema && unwrap(schema);
  return def instanceof core.$ZodObject ? Object.keys(def._zod.def.shape) : [];
}

/** The parsed document, or every problem zod found in `raw`, each with the value that was there. */
export function validate<T>(
  schema: core.$ZodType<T>,
  raw: unknown,
): { readonly data: T } | { readonly problems: ContractProblem[] } {
  const result = core.safeParse(schema, raw);
  if (result.success) return { data: result.data };
  const problems = result.error.issues.flatMap((issue): ContractProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: valueAt(raw, [...issue.path, key]),
        expected: `no key "${key}" (a typo, or a field of another version?); allowed keys here: ${allowedKeys(schema, issue.path).join(', ')}`,
      }));
    }
    return [{ path: formatPath(issue.path), value: valueAt(raw, issue.path), expected: issue.message }];
  });
  return { problems };
}
