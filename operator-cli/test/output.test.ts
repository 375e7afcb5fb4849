import { objectsOfMessage } from '../src/commands/dlq';
import { explainAwsError, AwsAccessError } from '../src/errors';
import { renderTable } from '../src/output';
import { parseCount, parseDuration, parseS3Uri } from '../src/parse-values';

describe('renderTable', () => {
  test('aligns columns to their widest cell, shows a missing value as -, and keeps one row per line', () => {
    const text = renderTable(
      [
        { header: 'NAME', value: (r: { name: string; n: number | null }) => r.name },
        { header: 'N', value: (r) => r.n },
        { header: 'LAST', value: (r) => `${r.name}\nmore` },
      ],
      [
        { name: 'a', n: 1 },
        { name: 'longer', n: null },
      ],
    );
    expect(text).toBe('NAME    N  LAST\na       1  a more\nlonger  -  longer more\n');
  });
});

describe('values of the command line', () => {
  test.each([
    ['90s', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['7d', 604800],
    ['0.5s', 0.5],
  ])('duration %s is %d seconds', (text, seconds) => {
    expect(parseDuration(text, '--since')).toBe(seconds);
  });

  test.each(['1', 'h', '1w', '-1h', '1 h'])('duration %j is refused', (text) => {
    expect(() => parseDuration(text, '--since')).toThrow(
      `--since: got "${text}"; expected a number and a unit`,
    );
  });

  test('counts and s3 URIs', () => {
    expect(parseCount('20', '--limit')).toBe(20);
    expect(() => parseCount('2.5', '--limit')).toThrow('--limit: got "2.5"; expected a whole number >= 1');
    expect(parseS3Uri('s3://b/incoming/a b.csv', 'x')).toEqual({ bucket: 'b', key: 'incoming/a b.csv' });
    expect(() => parseS3Uri('s3://b/', 'x')).toThrow('x: got "s3://b/"; expected s3://bucket/key');
  });
});

describe('objectsOfMessage', () => {
  test('decodes keys as S3 encodes them and keeps the version', () => {
    const body = JSON.stringify({
      Records: [
        {
          s3: {
            bucket: { name: 'b' },
            object: { key: 'incoming%2FSales%2Forders+1%2B2.csv', versionId: 'v' },
          },
        },
      ],
    });
    expect(objectsOfMessage(body)).toEqual(['s3://b/incoming/Sales/orders 1+2.csv (version v)']);
  });

  test('an S3 test event names no object; anything else is not a notification', () => {
    expect(objectsOfMessage(JSON.stringify({ Event: 's3:TestEvent' }))).toEqual([]);
    expect(objectsOfMessage('{"hello":1}')).toBeUndefined();
    expect(objectsOfMessage('not json')).toBeUndefined();
  });
});

describe('explainAwsError', () => {
  const named = (name: string, message = 'm'): Error => Object.assign(new Error(message), { name });

  test.each([
    ['CredentialsProviderError', 'credentials', /No AWS credentials while reading x/],
    ['AccessDeniedException', 'denied', /AWS refused reading x \(AccessDeniedException\).*--assume-role/],
    ['ExpiredToken', 'denied', /AWS refused reading x \(ExpiredToken\)/],
    ['ResourceNotFoundException', 'missing', /Not found while reading x/],
  ])('%s is an access error of kind %s', (name, kind, message) => {
    const explained = explainAwsError(named(name), 'reading x');
    expect(explained).toBeInstanceOf(AwsAccessError);
    expect((explained as AwsAccessError).kind).toBe(kind);
    expect((explained as AwsAccessError).message).toMatch(message);
  });

  test('any other error is left as it is', () => {
    const error = named('ConditionalCheckFailedException');
    expect(explainAwsError(error, 'x')).toBe(error);
    expect(explainAwsError('text', 'x')).toBe('text');
  });
});
