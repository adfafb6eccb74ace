import { dropAndClose, testMongo, testNamespace } from '@firegov/testing';
import type { Connection } from 'mongoose';
import { withDocumentLock } from '../src/index.ts';

// Why the lock exists: the local store loses concurrent updates of one document; through the
// lock none are lost. (On MongoDB both halves pass; the first half documents FerretDB.)
const ns = testNamespace('events-doclock');
let conn: Connection;

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
});
afterAll(async () => dropAndClose(conn));

test('100 concurrent increments of one document through the lock all land', async () => {
  const col = conn.db!.collection<{ _id: string; n: number; seen: number[] }>('counters');
  await col.insertOne({ _id: 'locked', n: 0, seen: [] });
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      withDocumentLock('counters', 'locked', () => col.updateOne({ _id: 'locked' }, { $inc: { n: 1 }, $push: { seen: i } })),
    ),
  );
  const doc = await col.findOne({ _id: 'locked' });
  expect(doc!.n).toBe(100);
  expect(doc!.seen).toHaveLength(100);
});

test('writes to different documents do not wait for each other, and a failing write releases the lock', async () => {
  const order: string[] = [];
  const slow = withDocumentLock('c', 'a', async () => {
    await new Promise((r) => setTimeout(r, 100));
    order.push('a');
  });
  const fast = withDocumentLock('c', 'b', async () => {
    order.push('b');
  });
  await Promise.all([slow, fast]);
  expect(order).toEqual(['b', 'a']);
  await expect(withDocumentLock('c', 'a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  await expect(withDocumentLock('c', 'a', async () => 'next')).resolves.toBe('next');
});
