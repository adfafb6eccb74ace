import { dropAndClose, testMongo } from '@firegov/testing';
import type { Collection, Document, Filter } from 'mongodb';
import type { Connection } from 'mongoose';

// The local store's pushdown (infra/ferretdb/firegov_pushdown.go) must return exactly what
// MongoDB's semantics give. FerretDB itself evaluates every filter in memory; a filter wrapped in
// a double $nor is never pushed down, so it is the reference each pushed query is compared with:
// same documents, same _id order under a limit, same count. The data has the shapes that break
// naive pushdown: arrays (any element matches), a field that is an array in some documents and a
// scalar in others, objects, booleans next to numbers, ints next to doubles, dates, mixed case.

interface Doc {
  _id: string;
  scope: string[] | string;
  category: string;
  keyUnit: boolean | number;
  floors: number;
  at: Date;
  name: string;
  tags?: string[] | { a: string };
  risk: { grade: string; score?: number };
  visits?: Array<{ by: string | string[] }> | { by: string };
}

const CATEGORIES = ['hotel', 'school', 'market', 'factory', 'Hotel'];
const NAMES = ['青龙客栈', '青龙小学', '白云超市', 'Blue Hotel', 'blue river 厂', '超市（青龙）'];
const GRADES = ['low', 'general', 'significant', 'major'];

function docs(n: number): Doc[] {
  let seed = 7;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  return Array.from({ length: n }, (_, i) => {
    const village = `V${rnd(5)}`;
    const doc: Doc = {
      _id: `u${String(i).padStart(5, '0')}`,
      // Most documents hold the scope array; some hold a bare string, as old records might.
      scope: i % 17 === 0 ? 'T1' : ['C', i % 3 === 0 ? 'T2' : 'T1', village],
      category: CATEGORIES[rnd(CATEGORIES.length)]!,
      // 1 and 0 next to true and false: MongoDB never equates them.
      keyUnit: i % 11 === 0 ? 1 : rnd(4) === 0,
      floors: i % 13 === 0 ? 3.0 : rnd(30),
      at: new Date(Date.UTC(2026, 0, 1) + rnd(100) * 86_400_000),
      name: NAMES[rnd(NAMES.length)]!,
      risk: { grade: GRADES[rnd(GRADES.length)]! },
    };
    if (i % 5 === 0) doc.tags = ['hotel', `t${rnd(3)}`];
    if (i % 23 === 0) doc.tags = { a: 'hotel' };
    // visits.by through an array of documents, an array inside one, or a plain sub-document.
    if (i % 4 === 0) doc.visits = [{ by: 'bob' }, { by: i % 8 === 0 ? 'ann' : ['cy', 'ann'] }];
    if (i % 9 === 0) doc.visits = { by: 'ann' };
    if (i % 6 === 0) doc.risk.score = 3;
    return doc;
  });
}

const QUERIES: Array<[string, Filter<Doc>]> = [
  ['array element equality', { scope: 'T1' }],
  ['array element equality, no match', { scope: 'nowhere' }],
  ['two array terms', { scope: 'T2', category: 'hotel' }],
  ['$and as the services write it', { scope: 'C', $and: [{ scope: 'V3' }], category: 'market' }],
  ['case matters in equality', { category: 'Hotel' }],
  ['boolean is not a number', { keyUnit: true }],
  ['number is not a boolean', { keyUnit: 1 }],
  ['int equals double', { floors: 3 }],
  ['$in of strings', { category: { $in: ['school', 'factory'] } }],
  ['$in matching two elements of one array', { scope: { $in: ['C', 'T1'] } }],
  ['$eq operator and false', { category: { $eq: 'hotel' }, keyUnit: false }],
  ['empty filter', {}],
  ['$all on an array field', { scope: { $all: ['C', 'V2'] }, tags: { $all: ['hotel'] } }],
  ['$in mixing classes', { floors: { $in: [3, 4] }, category: 'hotel' }],
  ['string range on an array field', { scope: { $gt: 'T1', $lt: 'V2' } }],
  ['number range', { floors: { $gte: 10, $lt: 20 } }],
  ['date range', { at: { $gte: new Date(Date.UTC(2026, 1, 1)) } }],
  ['_id range with a term', { _id: { $gt: 'u00100' }, scope: 'T1' }],
  ['_id $in', { _id: { $in: ['u00003', 'u00100', 'nope'] } }],
  ['_id equality with more', { _id: 'u00042', scope: 'C' }],
  ['array or object field', { tags: 'hotel' }],
  ['dotted key with a term', { scope: 'T1', 'risk.grade': 'major' }],
  ['dotted key alone, $in', { 'risk.grade': { $in: ['major', 'significant'] } }],
  ['dotted key through an array of documents', { 'visits.by': 'ann' }],
  ['dotted key not indexed', { 'risk.score': 3 }],
  ['literal regex', { scope: 'T1', name: { $regex: '超市' } }],
  ['case-insensitive regex', { name: { $regex: 'blue', $options: 'i' } }],
  ['non-literal regex', { name: { $regex: '^青龙' } }],
  ['operators the store does not push', { scope: 'T1', category: { $ne: 'hotel' } }],
  ['$or is left to FerretDB', { $or: [{ category: 'hotel' }, { scope: 'V1' }] }],
];

let conn: Connection;
let coll: Collection<Doc>;

beforeAll(async () => {
  conn = await testMongo(`t_pushdown_${Date.now().toString(36)}`);
  coll = conn.db!.collection<Doc>('units');
  const all = docs(900);
  // Half before the indexes exist (the side table is then built from the table), half after (triggers).
  await coll.insertMany(all.slice(0, 450));
  await coll.createIndexes([
    { key: { scope: 1, category: 1, _id: 1 } },
    { key: { keyUnit: 1 } },
    { key: { floors: 1 } },
    { key: { at: 1 } },
    { key: { tags: 1 } },
    { key: { 'risk.grade': 1 } },
    { key: { 'visits.by': 1 } },
  ]);
  await coll.find({ scope: 'T1' }).limit(1).toArray();
  await coll.insertMany(all.slice(450));
  // Updates and deletes go through the triggers too.
  await coll.updateMany({ category: 'factory' }, { $set: { scope: ['C', 'T3'] } });
  await coll.updateOne({ _id: 'u00042' }, { $set: { category: 'school' } });
  await coll.deleteMany({ category: 'school', floors: { $lt: 5 } });
});

afterAll(async () => {
  await dropAndClose(conn);
});

const reference = (filter: Filter<Doc>): Filter<Doc> => ({ $nor: [{ $nor: [filter] }] });
const ids = (list: Document[]) => list.map((d) => d._id as string);

describe.each(QUERIES)('%s', (_name, filter) => {
  it('finds the same documents as in-memory evaluation', async () => {
    const expected = ids(await coll.find(reference(filter)).toArray()).sort();
    const got = ids(await coll.find(filter).toArray()).sort();
    expect(got).toEqual(expected);
  });

  it('returns the same first page in _id order, ascending and descending', async () => {
    const all = ids(await coll.find(reference(filter)).toArray()).sort();
    expect(ids(await coll.find(filter).sort({ _id: 1 }).limit(7).toArray())).toEqual(all.slice(0, 7));
    expect(ids(await coll.find(filter).sort({ _id: -1 }).limit(7).toArray())).toEqual(all.reverse().slice(0, 7));
  });

  it('counts the same', async () => {
    const expected = (await coll.find(reference(filter)).toArray()).length;
    expect(await coll.countDocuments(filter)).toBe(expected);
  });
});

it('a recreated collection of the same name is indexed afresh', async () => {
  const other = conn.db!.collection<{ _id: string; k: string }>('again');
  await other.createIndex({ k: 1 });
  await other.insertMany([
    { _id: 'a', k: 'x' },
    { _id: 'b', k: 'y' },
  ]);
  expect(await other.countDocuments({ k: 'x' })).toBe(1);
  await other.drop();
  await other.createIndex({ k: 1 });
  await other.insertMany([
    { _id: 'c', k: 'y' },
    { _id: 'd', k: 'x' },
    { _id: 'e', k: 'x' },
  ]);
  expect(ids(await other.find({ k: 'x' }).sort({ _id: 1 }).toArray())).toEqual(['d', 'e']);
  expect(await other.countDocuments({ k: 'x' })).toBe(2);
});

// The patched SQLite driver keeps each connection's prepared write statements
// (infra/ferretdb/modernc-sqlite/firegov_stmtcache.go). A kept INSERT must pick up triggers added
// after it was prepared, and a statement that failed must be usable again.
it('writes after an index is added maintain it, through statements prepared before', async () => {
  const later = conn.db!.collection<{ _id: string; k: string; m?: string }>('later');
  await later.createIndex({ k: 1 });
  for (let i = 0; i < 20; i += 1) await later.insertOne({ _id: `a${i}`, k: 'x', m: 'old' });
  expect(await later.countDocuments({ k: 'x' })).toBe(20);
  await later.createIndex({ m: 1 });
  expect(await later.countDocuments({ m: 'new' })).toBe(0);
  for (let i = 0; i < 20; i += 1) await later.insertOne({ _id: `b${i}`, k: 'y', m: 'new' });
  for (let i = 0; i < 5; i += 1) await later.updateOne({ _id: `a${i}` }, { $set: { m: 'new' } });
  expect(await later.countDocuments({ m: 'new' })).toBe(25);
  expect(ids(await later.find({ m: 'new' }).sort({ _id: 1 }).limit(3).toArray())).toEqual(['a0', 'a1', 'a2']);
});

it('a write refused by the store leaves the next one working', async () => {
  const dup = conn.db!.collection<{ _id: string; k: string }>('dup');
  await dup.createIndex({ k: 1 });
  for (let round = 0; round < 3; round += 1) {
    await dup.insertOne({ _id: `d${round}`, k: 'x' });
    await expect(dup.insertOne({ _id: `d${round}`, k: 'x' })).rejects.toMatchObject({ code: 11000 });
  }
  expect(await dup.countDocuments({ k: 'x' })).toBe(3);
});
