import { testLogger } from '@firegov/testing';
import { backfillNameGrams } from '../../src/store/backfill.ts';
import { unitCounts } from '../../src/store/unit-counts.ts';
import { VILLAGE_A1, VILLAGE_A2, seedTree, startHarness, townshipA, validUnit, type Harness } from '../harness.ts';

// Village summaries come from counts in Redis (store/unit-counts.ts) and name search from indexed
// character pairs: both must agree with the registry itself, through every kind of write.

let h: Harness;
let token: string;

const SUMMARIES = `query($j: String) { villageSummaries(jurisdictionCode: $j) { villageCode units keyUnits highRise byGrade { low general significant major } } }`;
type Summary = { villageCode: string; units: number; keyUnits: number; highRise: number; byGrade: Record<string, number> };
const SEARCH = `query($f: UnitFilter) { units(first: 50, filter: $f) { totalCount edges { node { id name } } } }`;
type SearchResult = { units: { totalCount: number; edges: Array<{ node: { id: string; name: string } }> } };

beforeAll(async () => {
  h = await startHarness('entities-counts');
  await seedTree(h);
  token = await h.token(townshipA);
});
afterAll(async () => h.close());

/** What the summaries must say: counted from the units themselves. */
async function expectedSummaries(): Promise<Summary[]> {
  const units = await h.models.units.find({ status: 'active', scope: townshipA.jurisdiction }).lean();
  const by = new Map<string, Summary>();
  for (const u of units) {
    const s = by.get(u.villageCode) ?? {
      villageCode: u.villageCode,
      units: 0,
      keyUnits: 0,
      highRise: 0,
      byGrade: { low: 0, general: 0, significant: 0, major: 0 },
    };
    s.units += 1;
    if (u.keyUnit) s.keyUnits += 1;
    if (u.highRise) s.highRise += 1;
    s.byGrade[u.risk.grade] = (s.byGrade[u.risk.grade] ?? 0) + 1;
    by.set(u.villageCode, s);
  }
  return [...by.values()].sort((a, b) => a.villageCode.localeCompare(b.villageCode));
}

const summaries = async (j?: string) =>
  (await h.gql<{ villageSummaries: Summary[] }>(SUMMARIES, { j }, token)).data!.villageSummaries;

test('summaries follow registration, updates that move a unit between cells, and deregistration', async () => {
  const a = await h.services.units.register(townshipA, validUnit({ name: '青龙场张记超市', jurisdictionCode: VILLAGE_A1 }));
  const b = await h.services.units.register(
    townshipA,
    validUnit({
      name: '白云大厦',
      category: 'high_rise',
      buildingUse: 'residential',
      floors: 18,
      heightM: 54,
      occupancy: 600,
      jurisdictionCode: VILLAGE_A2,
      keyUnit: true,
    }),
  );
  await h.services.units.registerMany(townshipA, [
    validUnit({ name: 'Blue River 农家乐', jurisdictionCode: VILLAGE_A1 }),
    validUnit({ name: '青龙加油站', jurisdictionCode: VILLAGE_A2 }),
  ]);
  expect(await summaries()).toEqual(await expectedSummaries());

  // A move to another village and a change of key-unit status move the unit between cells.
  await h.services.units.update(townshipA, a._id, { jurisdictionCode: VILLAGE_A2, keyUnit: true });
  await h.services.units.deregister(townshipA, b._id, '已拆除');
  const after = await summaries();
  expect(after).toEqual(await expectedSummaries());
  expect(after.find((s) => s.villageCode === VILLAGE_A2)?.keyUnits).toBe(1);

  // Narrowed to a village, only its units.
  expect(await summaries(VILLAGE_A1)).toEqual((await expectedSummaries()).filter((s) => s.villageCode === VILLAGE_A1));
});

test('recording a unit again changes nothing, and a rebuild from the store gives the same counts', async () => {
  const before = await summaries();
  const unit = (await h.models.units.findOne({ status: 'active' }).lean())!;
  const counts = unitCounts(h.redis, `${h.ns.dbName}:`, testLogger('counts'));
  await counts.record(unit);
  await counts.record(unit);
  expect(await summaries()).toEqual(before);
  await counts.rebuild(h.models);
  expect(await summaries()).toEqual(before);
});

test('name search finds every unit whose name holds the term, by pairs and by single characters', async () => {
  const names = async (search: string) => {
    const res = await h.gql<SearchResult>(SEARCH, { f: { search } }, token);
    expect(res.errors).toBeUndefined();
    return res.data!.units;
  };
  const active = await h.models.units.find({ status: 'active', scope: townshipA.jurisdiction }).lean();
  for (const term of ['超市', '张记超市', '加油', '青', 'blue river', 'RIVER', '不存在的名字']) {
    const expected = active.filter((u) => u.name.toLowerCase().includes(term.toLowerCase())).map((u) => u.name);
    const got = await names(term);
    expect(got.edges.map((e) => e.node.name).sort()).toEqual(expected.sort());
    expect(got.totalCount).toBe(expected.length);
  }
});

test('units stored before search used pairs get them once, and are found afterwards', async () => {
  // The store's search (used while the unit index is built) is what the pairs serve.
  await h.redis.del(`${h.ns.dbName}:ux:ready`);
  const unit = await h.services.units.register(townshipA, validUnit({ name: '老宅院客栈', jurisdictionCode: VILLAGE_A1 }));
  await h.models.units.collection.updateOne({ _id: unit._id } as never, { $unset: { nameGrams: '' } });
  const before = await h.gql<SearchResult>(SEARCH, { f: { search: '宅院' } }, token);
  expect(before.data!.units.totalCount).toBe(0);
  const prefix = `${h.ns.dbName}:bf:`;
  expect(await backfillNameGrams(h.models, h.redis, prefix, testLogger('backfill'))).toBe(1);
  expect(await backfillNameGrams(h.models, h.redis, prefix, testLogger('backfill'))).toBe(0);
  const after = await h.gql<SearchResult>(SEARCH, { f: { search: '宅院' } }, token);
  expect(after.data!.units.edges.map((e) => e.node.id)).toEqual([unit._id]);
  await h.redis.set(`${h.ns.dbName}:ux:ready`, '1');
});
