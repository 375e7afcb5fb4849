import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { processBatch } from '../src/process-batch';

import { resetAwsMocks, writtenManifests } from './support/aws-mocks';
import { captureLogs, notification, sqsRecord, testDeps } from './support/events';

/**
 * The manifest fixture that the Python job's tests parse (`shared-constructs/fixtures/manifest.json`) is not
 * written by hand: it must be exactly what the trigger writes for these two uploads, so a change on the
 * TypeScript side that the job does not know about fails here first.
 */
const FIXTURE = path.join(__dirname, '..', '..', '..', 'shared-constructs', 'fixtures', 'manifest.json');
const BUCKET = 'glue-etl-dev-input-222222222222-eu-west-1';

test('the shared manifest fixture is what the trigger writes for its uploads', async () => {
  // Arrange
  resetAwsMocks();
  captureLogs();
  const uploads = [
    {
      bucket: BUCKET,
      key: 'incoming/Sales-EU/2026/11/orders 1+2.csv',
      versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
      size: 1024,
      eventTime: '2026-11-23T10:14:58.123Z',
    },
    {
      bucket: BUCKET,
      key: 'incoming/Sales-EU/returns.csv',
      eTag: '9e107d9d372bb6826bd81d3542a419d6',
      size: 2048,
      eventTime: '2026-11-23T23:59:59.999Z',
    },
  ];
  const records = uploads.map((upload, index) => sqsRecord(notification(upload), `m-${index}`));

  // Act
  await processBatch(
    records,
    testDeps({
      now: () => new Date('2026-11-23T10:15:00.000Z'),
      newManifestId: () => '20261123T101500Z-sales-3f9c2b7e',
    }),
  );

  // Assert
  const written = writtenManifests();
  expect(written.map((entry) => entry.key)).toEqual([
    'manifests/sales_eu/2026-11-23/20261123T101500Z-sales-3f9c2b7e.json',
  ]);
  expect(written[0]?.manifest).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
});
