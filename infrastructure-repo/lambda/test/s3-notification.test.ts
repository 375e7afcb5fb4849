import { parseMessageBody, type ParsedMessage } from '../src/s3-notification';

import { INPUT_BUCKET, loadFixture, notification } from './support/events';

const body = (fixture: string): string => JSON.stringify(loadFixture(fixture));

/** The reason of an invalid message; anything else yields a text no assertion on a reason accepts. */
const invalidReason = (parsed: ParsedMessage): string =>
  parsed.kind === 'invalid' ? parsed.reason : `<parsed as ${parsed.kind}>`;

describe('parseMessageBody', () => {
  test('a put notification yields its decoded key, version, ETag, size and event time', () => {
    // Arrange
    const message = body('s3-put-encoded-key.json');

    // Act
    const parsed = parseMessageBody(message);

    // Assert
    expect(parsed).toEqual({
      kind: 'notification',
      skipped: [],
      accepted: [
        {
          dataset: 'sales',
          object: {
            bucket: INPUT_BUCKET,
            key: 'incoming/sales/2026/Q4 report C++ été.CSV',
            versionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd',
            eTag: '0123456789abcdef0123456789abcdef',
            size: 2048,
            eventTime: '2026-11-23T10:15:30.123Z',
          },
        },
      ],
    });
  });

  test('an S3 test event is recognized as such', () => {
    expect(parseMessageBody(body('s3-test-event.json'))).toEqual({ kind: 'test-event' });
  });

  test('each object that is not a dataset csv is skipped with its reason', () => {
    // Act
    const parsed = parseMessageBody(body('s3-skipped-objects.json'));

    // Assert
    expect(parsed.kind === 'notification' && parsed.skipped.map((item) => [item.reason, item.key])).toEqual([
      ['folder-marker', 'incoming/sales/'],
      ['not-csv', 'incoming/sales/notes.txt'],
      ['no-dataset-folder', 'incoming/orphan.csv'],
      ['invalid-dataset-name', 'incoming/bad name!/data.csv'],
      ['not-incoming', 'elsewhere/data.csv'],
      ['not-object-created', 'incoming/sales/gone.csv'],
    ]);
  });

  test('an unversioned object has a null version id', () => {
    const parsed = parseMessageBody(JSON.stringify(notification({ key: 'incoming/sales/a.csv' })));

    expect(parsed.kind === 'notification' && parsed.accepted[0]?.object.versionId).toBeNull();
  });

  test('a body that is not JSON is invalid and says so', () => {
    expect(invalidReason(parseMessageBody('hello'))).toContain('not JSON');
  });

  test('JSON that is not an S3 notification is invalid and names the bad field', () => {
    const parsed = parseMessageBody(body('not-a-notification.json'));

    expect(invalidReason(parsed)).toMatch(/eventSource[\s\S]*s3\.object\.key/);
  });

  test('a notification with no records is invalid', () => {
    expect(parseMessageBody('{"Records":[]}').kind).toBe('invalid');
  });

  test('a malformed key escape makes the message invalid rather than guessing the key', () => {
    const message = notification({ key: 'incoming/sales/a.csv' });
    (message.Records[0].s3 as { object: { key: string } }).object.key = 'incoming/sales/%E0%A4%A.csv';

    expect(invalidReason(parseMessageBody(JSON.stringify(message)))).toContain('malformed URL escape');
  });

  test('a created object without size or ETag is invalid', () => {
    const message = notification({ key: 'incoming/sales/a.csv' });
    delete (message.Records[0].s3 as { object: { eTag?: string } }).object.eTag;

    expect(invalidReason(parseMessageBody(JSON.stringify(message)))).toContain(
      'no s3.object.size or s3.object.eTag',
    );
  });
});
