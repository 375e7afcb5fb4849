import { classifyObjectKey, decodeObjectKey } from '../src/object-key';

describe('decodeObjectKey', () => {
  test('a plus sign in the notification is a space in the key', () => {
    expect(decodeObjectKey('incoming/sales/q4+report.csv')).toBe('incoming/sales/q4 report.csv');
  });

  test('%2B in the notification is a plus sign in the key', () => {
    expect(decodeObjectKey('incoming/sales/c%2B%2B.csv')).toBe('incoming/sales/c++.csv');
  });

  test('UTF-8 percent escapes decode to the original characters', () => {
    expect(decodeObjectKey('incoming/caf%C3%A9/%E6%97%A5%E6%9C%AC.csv')).toBe('incoming/café/日本.csv');
  });

  test('a malformed escape throws instead of yielding a wrong key', () => {
    expect(() => decodeObjectKey('incoming/sales/%E0%A4%A.csv')).toThrow(URIError);
  });
});

describe('classifyObjectKey', () => {
  test('a csv under a dataset folder belongs to that dataset', () => {
    expect(classifyObjectKey('incoming/sales/2026/11/day.csv')).toEqual({
      kind: 'dataset-file',
      dataset: 'sales',
    });
  });

  test('an upper-case .CSV extension is processed like .csv', () => {
    expect(classifyObjectKey('incoming/sales/REPORT.CSV')).toEqual({
      kind: 'dataset-file',
      dataset: 'sales',
    });
  });

  test('a key ending in a slash is a folder marker', () => {
    expect(classifyObjectKey('incoming/sales/')).toEqual({ kind: 'skip', reason: 'folder-marker' });
  });

  test('a key outside incoming/ is skipped as not-incoming', () => {
    expect(classifyObjectKey('uploads/sales/a.csv')).toEqual({ kind: 'skip', reason: 'not-incoming' });
  });

  test('a file that is not csv is skipped as not-csv', () => {
    expect(classifyObjectKey('incoming/sales/a.csv.gz')).toEqual({ kind: 'skip', reason: 'not-csv' });
  });

  test('a csv directly under incoming/ has no dataset folder', () => {
    expect(classifyObjectKey('incoming/a.csv')).toEqual({ kind: 'skip', reason: 'no-dataset-folder' });
  });

  test('an empty dataset folder name is treated as no dataset folder', () => {
    expect(classifyObjectKey('incoming//a.csv')).toEqual({ kind: 'skip', reason: 'no-dataset-folder' });
  });

  test('a dataset folder name outside DATASET_PATTERN is skipped as invalid-dataset-name', () => {
    expect(classifyObjectKey('incoming/sales data/a.csv')).toEqual({
      kind: 'skip',
      reason: 'invalid-dataset-name',
    });
  });
});
