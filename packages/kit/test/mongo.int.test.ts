import { dropAndClose, testMongo, testNamespace } from '@firegov/testing';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { BULK_CHUNK, bulkWriteInChunks } from '../src/index.ts';

// The local store never answers an update command of 100 or more statements (and then blocks the
// database), so bulk writes go in chunks: 250 updates of existing documents land, and the database
// still answers afterwards.

const ns = testNamespace('kit-mongo');
let conn: Connection;
let coll: Collection<{ _id: string; n: number }>;

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
  coll = conn.db!.collection<{ _id: string; n: number }>('counters');
  await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: `c${i}`, n: 0 })));
});

afterAll(() => dropAndClose(conn));

test('250 updates of existing documents are written in chunks below 100 and all land', async () => {
  expect(BULK_CHUNK).toBeLessThan(100);
  const ops = Array.from({ length: 250 }, (_, i) => ({ updateOne: { filter: { _id: `c${i}` }, update: { $inc: { n: i } } } }));
  await bulkWriteInChunks(coll, ops, { ordered: false });
  const docs = await coll.find({}).sort({ _id: 1 }).toArray();
  expect(docs).toHaveLength(250);
  expect(docs.reduce((sum, d) => sum + d.n, 0)).toBe((249 * 250) / 2);
  expect(await coll.countDocuments({ n: { $gt: 0 } })).toBe(249);
}, 30_000);
