import { planChunks, type MessageWork } from '../src/batch-plan';
import type { ManifestObject } from '../src/manifest-contract';

import { INPUT_BUCKET } from './support/events';

const object = (key: string, versionId: string | null = null, eTag = 'e'.repeat(32)): ManifestObject => ({
  bucket: INPUT_BUCKET,
  key,
  versionId,
  eTag,
  size: 1,
  eventTime: '2026-11-23T10:15:30.000Z',
});

const work = (messageId: string, dataset: string, ...objects: ManifestObject[]): MessageWork => ({
  messageId,
  dataset,
  objects,
});

describe('planChunks', () => {
  test('messages of one dataset share one chunk', () => {
    const plan = planChunks([work('a', 'sales', object('k1')), work('b', 'sales', object('k2'))], 10);

    expect(plan.chunks.map((chunk) => chunk.messageIds)).toEqual([['a', 'b']]);
  });

  test('each dataset gets its own chunk with its table name', () => {
    const plan = planChunks([work('a', 'Sales-EU', object('k1')), work('b', 'stock', object('k2'))], 10);

    expect(plan.chunks.map((chunk) => [chunk.dataset, chunk.table])).toEqual([
      ['Sales-EU', 'sales_eu'],
      ['stock', 'stock'],
    ]);
  });

  test('a dataset over the cap is split into chunks of at most the cap', () => {
    const works = Array.from({ length: 7 }, (_, index) => work(`m${index}`, 'sales', object(`k${index}`)));

    const plan = planChunks(works, 3);

    expect(plan.chunks.map((chunk) => chunk.objects.length)).toEqual([3, 3, 1]);
  });

  test('a split never separates the records of one message', () => {
    const works = [
      work('a', 'sales', object('k1')),
      work('b', 'sales', object('k2'), object('k3')),
      work('c', 'sales', object('k4')),
    ];

    const plan = planChunks(works, 2);

    expect(plan.chunks.map((chunk) => chunk.messageIds)).toEqual([['a'], ['b'], ['c']]);
  });

  test('one message larger than the cap stays whole in an oversized chunk', () => {
    const plan = planChunks([work('a', 'sales', object('k1'), object('k2'), object('k3'))], 2);

    expect(plan.chunks.map((chunk) => [chunk.objects.length, chunk.oversized])).toEqual([[3, true]]);
  });

  test('the same version notified twice is kept once and both messages share its chunk', () => {
    const works = [
      work('a', 'sales', object('k1', 'v1')),
      work('b', 'sales', object('k2', 'v1')),
      work('c', 'sales', object('k1', 'v1')),
    ];

    const plan = planChunks(works, 1);

    expect(plan.duplicatesDropped).toBe(1);
    expect(plan.chunks.map((chunk) => [chunk.messageIds, chunk.objects.map((item) => item.key)])).toEqual([
      [['a', 'c'], ['k1']],
      [['b'], ['k2']],
    ]);
  });

  test('two versions of one key are two objects', () => {
    const plan = planChunks(
      [work('a', 'sales', object('k1', 'v1')), work('b', 'sales', object('k1', 'v2'))],
      10,
    );

    expect(plan.chunks[0]?.objects.map((item) => item.versionId)).toEqual(['v1', 'v2']);
  });

  test('without versioning the ETag tells duplicates from new content', () => {
    const works = [
      work('a', 'sales', object('k1', null, 'a'.repeat(32))),
      work('b', 'sales', object('k1', null, 'a'.repeat(32))),
      work('c', 'sales', object('k1', null, 'b'.repeat(32))),
    ];

    const plan = planChunks(works, 10);

    expect([plan.duplicatesDropped, plan.chunks[0]?.objects.length]).toEqual([1, 2]);
  });
});
