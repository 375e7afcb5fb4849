import { LedgerItemError, parseLedgerItem, parseRunReport, RunReportError } from '../../src/contracts';

// Both contracts throw through one helper: each keeps its own class, name and wording.
test.each([
  ['ledger item', () => parseLedgerItem({}, 'pk=a#b'), LedgerItemError, 'LedgerItemError', 'pk=a#b'],
  [
    'run report',
    () => parseRunReport({}, 's3://a/r.json'),
    RunReportError,
    'RunReportError',
    's3://a/r.json',
  ],
] as const)(
  'an invalid %s throws its own error naming the source',
  (kind, parse, ErrorClass, name, source) => {
    let thrown: unknown;
    try {
      parse();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ErrorClass);
    const error = thrown as LedgerItemError | RunReportError;
    expect(error.name).toBe(name);
    expect(error.source).toBe(source);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.message).toMatch(
      new RegExp(`^Invalid ${kind} ${source}: ${error.problems.length} problem\\(s\\)\\n  - `),
    );
  },
);

test('one contract error is not taken for the other', () => {
  expect(() => parseLedgerItem({})).not.toThrow(RunReportError);
  expect(() => parseRunReport({})).not.toThrow(LedgerItemError);
});
