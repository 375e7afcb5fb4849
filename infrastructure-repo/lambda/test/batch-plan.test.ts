import type { ManifestObject } from '@glue-platform/shared-constructs/contracts';

import { planChunks, type MessageWork } from '../src/batch-plan';

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

describe('planChunks with a byte cap', () => {
  const sized = (key: string, size: number, versionId: string | null = null): ManifestObject => ({
    ...object(key, versionId),
    size,
  });
  /** One message per object, ids `m0`, `m1`, ...; all in one dataset. */
  const uploads = (...sizes: number[]): MessageWork[] =>
    sizes.map((size, index) => work(`m${index}`, 'sales', sized(`k${index}`, size)));
  const shape = (plan: ReturnType<typeof planChunks>) =>
    plan.chunks.map((chunk) => ({ objects: chunk.objects.length, bytes: chunk.bytes }));

  test('a chunk is closed before the object that would take it over the byte cap', () => {
    const plan = planChunks(uploads(40, 40, 30, 50, 10, 60), 1000, 100);

    expect(shape(plan)).toEqual([
      { objects: 2, bytes: 80 },
      { objects: 3, bytes: 90 },
      { objects: 1, bytes: 60 },
    ]);
  });

  test('a chunk may hold exactly the byte cap', () => {
    const plan = planChunks(uploads(60, 40, 1), 1000, 100);

    expect(shape(plan)).toEqual([
      { objects: 2, bytes: 100 },
      { objects: 1, bytes: 1 },
    ]);
  });

  test('an object larger than the byte cap goes alone into an oversized chunk, even before an empty file', () => {
    const plan = planChunks(uploads(10, 500, 0), 1000, 100);

    expect(plan.chunks.map((chunk) => [chunk.messageIds, chunk.bytes, chunk.oversized])).toEqual([
      [['m0'], 10, false],
      [['m1'], 500, true],
      [['m2'], 0, false],
    ]);
  });

  test('a batch of one object larger than the byte cap still yields its chunk', () => {
    const plan = planChunks(uploads(5_000_000_000), 1000, 100);

    expect(plan.chunks.map((chunk) => [chunk.objects.length, chunk.oversized])).toEqual([[1, true]]);
  });

  test('whichever cap is reached first closes the chunk', () => {
    const plan = planChunks(uploads(10, 10, 10, 10, 60, 50, 5), 3, 100);

    expect(shape(plan)).toEqual([
      { objects: 3, bytes: 30 },
      { objects: 2, bytes: 70 },
      { objects: 2, bytes: 55 },
    ]);
    expect(plan.chunks.some((chunk) => chunk.oversized)).toBe(false);
  });

  test('a message whose objects together exceed the byte cap stays whole in an oversized chunk', () => {
    const plan = planChunks(
      [work('a', 'sales', sized('k1', 10)), work('b', 'sales', sized('k2', 60), sized('k3', 60))],
      1000,
      100,
    );

    expect(plan.chunks.map((chunk) => [chunk.messageIds, chunk.bytes, chunk.oversized])).toEqual([
      [['a'], 10, false],
      [['b'], 120, true],
    ]);
  });

  test('a duplicate notification does not count its bytes twice', () => {
    const works = [
      work('a', 'sales', sized('k1', 60, 'v1')),
      work('b', 'sales', sized('k1', 60, 'v1')),
      work('c', 'sales', sized('k2', 40, 'v1')),
    ];

    const plan = planChunks(works, 1000, 100);

    expect(plan.chunks.map((chunk) => [chunk.messageIds, chunk.bytes, chunk.oversized])).toEqual([
      [['a', 'b', 'c'], 100, false],
    ]);
  });

  test('each dataset counts its own bytes', () => {
    const works = [
      work('a', 'sales', sized('k1', 70)),
      work('b', 'stock', sized('k2', 70)),
      work('c', 'sales', sized('k3', 30)),
    ];

    const plan = planChunks(works, 1000, 100);

    expect(plan.chunks.map((chunk) => [chunk.dataset, chunk.bytes])).toEqual([
      ['sales', 100],
      ['stock', 70],
    ]);
  });
});
