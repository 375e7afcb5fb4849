import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  LEDGER_STATUSES,
  LedgerItem,
  LedgerItemError,
  LedgerItemProblem,
  ledgerVersion,
  parseLedgerItem,
} from '../../src/contracts';

const FIXTURE_TEXT = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'ledger-items.json'), 'utf8');

const fixture = (): LedgerItem[] => JSON.parse(FIXTURE_TEXT) as LedgerItem[];
const itemWith = (status: LedgerItem['status']): LedgerItem => {
  const item = fixture().find((candidate) => candidate.status === status);
  if (!item) throw new Error(`the fixture has no ${status} item`);
  return item;
};

function problemsOf(raw: unknown): LedgerItemProblem[] {
  try {
    parseLedgerItem(raw);
    return [];
  } catch (error) {
    if (error instanceof LedgerItemError) return [...error.problems];
    throw error;
  }
}

describe('ledger item contract', () => {
  it('accepts the fixture, which holds one item of every status', () => {
    const items = fixture();
    expect(items.map((item) => item.status).sort()).toEqual([...LEDGER_STATUSES].sort());
    for (const item of items) expect(problemsOf(item)).toEqual([]);
  });

  it('derives the version from the version id, or the unquoted ETag when the bucket keeps none', () => {
    expect(ledgerVersion('abc', '"d41d"')).toBe('abc');
    expect(ledgerVersion(null, '"d41d"')).toBe('etag:d41d');
  });

  it('rejects keys that do not match bucket, key and version', () => {
    const item = { ...itemWith('received'), objectKey: 'other-bucket/incoming/x.csv', version: 'other' };
    expect(problemsOf(item).map((p) => p.path)).toEqual(['objectKey', 'version']);
  });

  it('requires the run id of a started file and the counts of a succeeded one', () => {
    const started = { ...itemWith('started'), jobRunId: null };
    expect(problemsOf(started).map((p) => p.path)).toEqual(['jobRunId']);
    const succeeded = { ...itemWith('succeeded'), rowsWritten: null };
    expect(problemsOf(succeeded).map((p) => p.path)).toEqual(['rowsWritten']);
  });

  it('requires read = written + quarantined', () => {
    const problems = problemsOf({ ...itemWith('succeeded'), rowsRead: 121 });
    expect(problems).toEqual([expect.objectContaining({ path: 'rowsRead', value: 121 })]);
    expect(problems[0]?.expected).toContain('120');
  });

  it('requires a reason for a skipped, quarantined or failed file', () => {
    for (const status of ['skipped', 'quarantined', 'failed'] as const) {
      expect(problemsOf({ ...itemWith(status), reason: null }).map((p) => p.path)).toEqual(['reason']);
    }
  });

  it('requires a manifest for every state after the claim', () => {
    expect(problemsOf({ ...itemWith('claimed'), manifestId: null }).map((p) => p.path)).toEqual([
      'manifestId',
    ]);
  });

  it('lists an unknown status and an unknown key together, naming what is allowed', () => {
    const problems = problemsOf({ ...itemWith('received'), status: 'done', extra: 1 });
    expect(problems.map((p) => p.path).sort()).toEqual(['extra', 'status']);
    expect(problems.find((p) => p.path === 'status')?.expected).toContain('"succeeded"');
  });

  it('accepts an item without a dataset (not indexable) and refuses a null one', () => {
    const withoutDataset: Partial<LedgerItem> = itemWith('skipped');
    delete withoutDataset.dataset;
    expect(problemsOf(withoutDataset)).toEqual([]);
    expect(problemsOf({ ...itemWith('skipped'), dataset: null }).map((p) => p.path)).toEqual(['dataset']);
  });
});
