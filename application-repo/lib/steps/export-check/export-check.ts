import { isRecord } from '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli';

/** Where the check ran and what to deploy when it fails. */
export interface ExportCheckTarget {
  readonly stageName: string;
  readonly account: string;
  readonly region: string;
  readonly infrastructureStack: string;
}

/** The expected export names from the step's comma-separated variable, in order, without blanks or repeats. */
export function parseExpectedExports(raw: string): string[] {
  const names = [...new Set(raw.split(',').map((name) => name.trim()))].filter((name) => name !== '');
  if (names.length === 0)
    throw new Error('The list of expected exports is empty; the pipeline step must pass them');
  return names;
}

/** Export names found in `aws cloudformation list-exports` output; throws when it is not that output. */
export function exportedNames(listExportsOutput: unknown): Set<string> {
  const exports = isRecord(listExportsOutput) ? listExportsOutput.Exports : undefined;
  if (!Array.isArray(exports)) {
    throw new Error('aws cloudformation list-exports returned no "Exports" list; cannot check the exports');
  }
  return new Set(
    exports.flatMap((entry: unknown) =>
      isRecord(entry) && typeof entry.Name === 'string' ? [entry.Name] : [],
    ),
  );
}

/** The expected names that are not exported, in the expected order. */
export const missingExports = (expected: readonly string[], exported: ReadonlySet<string>): string[] =>
  expected.filter((name) => !exported.has(name));

/** What an operator reads in the pipeline when the stage cannot deploy yet. */
export function missingExportsMessage(target: ExportCheckTarget, missing: readonly string[]): string {
  return [
    `Stage ${target.stageName} (account ${target.account}, region ${target.region}) is missing ` +
      `${missing.length} export(s) that its application stack imports:`,
    ...missing.map((name) => `  - ${name}`),
    `Deploy the infrastructure stack ${target.infrastructureStack} to account ${target.account} in ` +
      `${target.region} first (run the infrastructure pipeline), then retry this stage.`,
  ].join('\n');
}

/** The message for a passing check. */
export const allExportsPresentMessage = (target: ExportCheckTarget, expected: readonly string[]): string =>
  `Stage ${target.stageName}: all ${expected.length} export(s) the application stack imports exist ` +
  `(${expected.join(', ')}).`;
