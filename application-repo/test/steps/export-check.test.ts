import {
  allExportsPresentMessage,
  ExportCheckTarget,
  exportedNames,
  missingExports,
  missingExportsMessage,
  parseExpectedExports,
} from '../../lib/steps/export-check/export-check';

const target: ExportCheckTarget = {
  stageName: 'dev',
  account: '222222222222',
  region: 'eu-west-1',
  infrastructureStack: 'glue-etl-dev-infrastructure',
};

/** What `aws cloudformation list-exports --output json` prints. */
const listExports = (...names: string[]) => ({
  Exports: names.map((Name) => ({
    ExportingStackId: 'arn:aws:cloudformation:eu-west-1:222222222222:stack/glue-etl-dev-infrastructure/x',
    Name,
    Value: `value-of-${Name}`,
  })),
});

test('every expected export present means nothing is missing', () => {
  const exported = exportedNames(listExports('glue-etl-dev-A', 'glue-etl-dev-B', 'other-stack-C'));
  expect(missingExports(['glue-etl-dev-A', 'glue-etl-dev-B'], exported)).toEqual([]);
});

test('missing exports are reported in the expected order', () => {
  const exported = exportedNames(listExports('glue-etl-dev-B'));
  expect(missingExports(['glue-etl-dev-C', 'glue-etl-dev-B', 'glue-etl-dev-A'], exported)).toEqual([
    'glue-etl-dev-C',
    'glue-etl-dev-A',
  ]);
});

test('an account without any export misses all of them', () => {
  expect(missingExports(['glue-etl-dev-A'], exportedNames({ Exports: [] }))).toEqual(['glue-etl-dev-A']);
});

test('an export of another stage does not satisfy this stage', () => {
  const exported = exportedNames(listExports('glue-etl-prod-A'));
  expect(missingExports(['glue-etl-dev-A'], exported)).toEqual(['glue-etl-dev-A']);
});

test('output that is not list-exports output is refused rather than read as "nothing exported"', () => {
  expect(() => exportedNames({ Stacks: [] })).toThrow(/returned no "Exports" list/);
});

test('the failure message names each missing export and the stack to deploy first', () => {
  const message = missingExportsMessage(target, [
    'glue-etl-dev-GlueJobRoleArn',
    'glue-etl-dev-GlueDatabaseName',
  ]);
  expect(message).toBe(
    [
      'Stage dev (account 222222222222, region eu-west-1) is missing 2 export(s) that its application stack imports:',
      '  - glue-etl-dev-GlueJobRoleArn',
      '  - glue-etl-dev-GlueDatabaseName',
      'Deploy the infrastructure stack glue-etl-dev-infrastructure to account 222222222222 in eu-west-1 first ' +
        '(run the infrastructure pipeline), then retry this stage.',
    ].join('\n'),
  );
});

test('the success message lists what was checked', () => {
  expect(allExportsPresentMessage(target, ['a', 'b'])).toBe(
    'Stage dev: all 2 export(s) the application stack imports exist (a, b).',
  );
});

test('the expected list is read from a comma-separated variable without blanks or repeats', () => {
  expect(parseExpectedExports(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
});

test('an empty expected list is refused: a check of nothing would always pass', () => {
  expect(() => parseExpectedExports(' , ')).toThrow(/expected exports is empty/);
});
