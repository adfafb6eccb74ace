import { connectRedis } from '@firegov/kit';
import { testEnv, testLogger } from '@firegov/testing';
import type { UnitDoc } from '../../src/store/models.ts';
import { unitIndex } from '../../src/store/unit-index.ts';
import {
  COUNTY,
  countyAdmin,
  GRID_A1,
  seedTree,
  startHarness,
  TOWNSHIP_A,
  townshipA,
  townshipB,
  VILLAGE_A1,
  VILLAGE_A2,
  VILLAGE_B1,
  validUnit,
  type Harness,
} from '../harness.ts';

// Lists, lookups and name search of active units are answered by the unit index in Redis
// (store/unit-index.ts). Whatever the index answers, the store must answer the same: every filter
// is asked both ways, page by page, with the index ready and with it switched off.

let h: Harness;
const readyKey = () => `${h.ns.dbName}:ux:ready`;

const LIST = `query($f: UnitFilter, $first: Int, $after: String) {
  units(first: $first, after: $after, filter: $f) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name category villageCode keyUnit highRise risk { grade } } }
  }
}`;
type ListPage = {
  units: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; name: string; category: string; villageCode: string } }>;
  };
};

const NAMES = ['张记餐馆', '青龙超市', '石龙加油站', 'Blue River 农家乐', '龙门客栈', '张记超市', '液化气站', '青龙小学'];
const CATEGORIES = ['restaurant', 'supermarket', 'hotel'] as const;

beforeAll(async () => {
  h = await startHarness('entities-index');
  await seedTree(h);
  // 48 units in township A and 6 in township B, spread over names, categories, villages and flags.
  const inputs = Array.from({ length: 48 }, (_, i) =>
    validUnit({
      name: `${NAMES[i % NAMES.length]}${i}`,
      category: CATEGORIES[i % 3],
      jurisdictionCode: i % 2 === 0 ? VILLAGE_A1 : VILLAGE_A2,
      ...(i % 4 === 0 ? { gridCode: GRID_A1 } : {}),
      keyUnit: i % 5 === 0,
      ...(i % 7 === 0 ? { floors: 12, heightM: 39.6, occupancy: 300 } : {}),
    }),
  );
  const a = await h.services.units.registerMany(countyAdmin, inputs);
  expect(a.refused).toEqual([]);
  const b = await h.services.units.registerMany(
    countyAdmin,
    Array.from({ length: 6 }, (_, i) => validUnit({ name: `邻乡${NAMES[i]}`, jurisdictionCode: VILLAGE_B1 })),
  );
  expect(b.refused).toEqual([]);
  // Some leave the registry; some change category or village after registration.
  for (const id of a.created.slice(0, 3)) await h.services.units.deregister(countyAdmin, id, '已关停');
  await h.services.units.update(countyAdmin, a.created[5]!, { category: 'hotel', jurisdictionCode: VILLAGE_A2 });
  await h.services.units.update(countyAdmin, a.created[6]!, { name: '改名后的液化气站' });
}, 60_000);
afterAll(async () => h.close());

/** Every page of a list, `first` at a time, and its totalCount. */
async function walk(token: string, filter: Record<string, unknown>, first = 7) {
  const ids: string[] = [];
  let after: string | null = null;
  let total = -1;
  for (let i = 0; i < 100; i += 1) {
    const res = await h.gql<ListPage>(LIST, { f: filter, first, after }, token);
    expect(res.errors).toBeUndefined();
    const page: ListPage['units'] = res.data!.units;
    total = page.totalCount;
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, total };
}

const FILTERS: Array<Record<string, unknown>> = [
  {},
  { jurisdictionCode: TOWNSHIP_A },
  { jurisdictionCode: VILLAGE_A1 },
  { jurisdictionCode: GRID_A1 },
  { category: 'supermarket' },
  { jurisdictionCode: TOWNSHIP_A, category: 'hotel' },
  { keyUnit: true },
  { keyUnit: false, category: 'restaurant' },
  { highRise: true },
  { riskGrade: 'low' },
  { search: '超市' },
  { search: '张记超市' },
  { search: '液化气', jurisdictionCode: VILLAGE_A2 },
  { search: '龙', category: 'supermarket' },
  { search: 'blue RIVER' },
  { search: '不存在' },
  { search: '超市', keyUnit: true },
];

test.each([
  ['county admin', countyAdmin],
  ['township A officer', townshipA],
  ['township B officer', townshipB],
])('every list filter answers the same from the index as from the store (%s)', async (_label, identity) => {
  const token = await h.token(identity);
  for (const filter of FILTERS) {
    const fromIndex = await walk(token, filter);
    await h.redis.del(readyKey());
    const fromStore = await walk(token, filter);
    await h.redis.set(readyKey(), '1');
    expect({ filter, ...fromIndex }).toEqual({ filter, ...fromStore });
    expect([...fromIndex.ids].sort()).toEqual(fromIndex.ids); // id order, as the cursor needs
    expect(fromIndex.total).toBe(fromIndex.ids.length);
  }
});

test('deregistered units leave the lists but are still found by id; includeDeregistered reads the store', async () => {
  const token = await h.token(countyAdmin);
  const gone = (await h.models.units.findOne({ status: 'deregistered' }).lean<UnitDoc>())!;
  const listed = await walk(token, { jurisdictionCode: COUNTY }, 50);
  expect(listed.ids).not.toContain(gone._id);
  const all = await walk(token, { includeDeregistered: true }, 50);
  expect(all.ids).toContain(gone._id);
  const one = await h.gql<{ unit: { id: string; status: string } | null }>(
    `query($id: ID!) { unit(id: $id) { id status } }`,
    { id: gone._id },
    token,
  );
  expect(one.data!.unit).toEqual({ id: gone._id, status: 'deregistered' });
});

test('a snapshot is the stored unit without its bookkeeping, and follows every write', async () => {
  const unit = (await h.models.units.findOne({ status: 'active', category: 'hotel' }).lean<UnitDoc>())!;
  const index = unitIndex(h.redis, `${h.ns.dbName}:`, testLogger('index'), h.models);
  const snap = (await index.docs([unit._id]))[0]!;
  const {
    nameGrams: _g,
    appliedEventIds: _a,
    outbox: _o,
    outboxPending: _p,
    ...visible
  } = unit as UnitDoc & {
    outbox?: unknown;
    outboxPending?: unknown;
  };
  expect(snap).toEqual(visible);
  const next = await h.services.units.update(countyAdmin, unit._id, { name: '新名字宾馆', expectedVersion: unit.version });
  expect((await index.docs([unit._id]))[0]).toMatchObject({ name: '新名字宾馆', version: next.version });
  const found = await walk(await h.token(countyAdmin), { search: '新名字' });
  expect(found.ids).toEqual([unit._id]);
});

test('an older write recorded late changes nothing: the newest version of a unit wins', async () => {
  const unit = (await h.models.units.findOne({ status: 'active', category: 'supermarket' }).lean<UnitDoc>())!;
  const index = unitIndex(h.redis, `${h.ns.dbName}:`, testLogger('index'), h.models);
  const moved = await h.services.units.update(countyAdmin, unit._id, { category: 'restaurant' });
  // A replica or the rebuild records the unit as it was before the update, after it.
  await index.record(unit);
  expect((await index.docs([unit._id]))[0]).toMatchObject({ category: 'restaurant', version: moved.version });
  const token = await h.token(countyAdmin);
  expect((await walk(token, { category: 'supermarket' })).ids).not.toContain(unit._id);
  expect((await walk(token, { category: 'restaurant' })).ids).toContain(unit._id);
});

test('a record that fails while Redis is unreachable is repaired from the store', async () => {
  const unit = (await h.models.units.findOne({ status: 'active' }).lean<UnitDoc>())!;
  const broken = await connectRedis(testEnv.REDIS_URL);
  const index = unitIndex(broken, `${h.ns.dbName}:`, testLogger('index'), h.models, { repairEveryMs: 100 });
  broken.disconnect();
  await h.models.units.updateOne({ _id: unit._id }, { $set: { name: '修复测试', version: unit.version + 1 } });
  await index.record({ ...unit, name: '修复测试', version: unit.version + 1 }); // fails: logged, kept for repair
  await broken.connect();
  const reader = unitIndex(h.redis, `${h.ns.dbName}:`, testLogger('index'), h.models);
  for (let i = 0; i < 50 && (await reader.docs([unit._id]))[0]?.name !== '修复测试'; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await reader.docs([unit._id]))[0]).toMatchObject({ name: '修复测试', version: unit.version + 1 });
  await index.close();
  broken.disconnect();
});

test('a fresh rebuild gives the same lists, and lists read the store while it runs', async () => {
  const token = await h.token(countyAdmin);
  const before = await Promise.all(FILTERS.map((f) => walk(token, f, 50)));
  const index = unitIndex(h.redis, `${h.ns.dbName}:`, testLogger('index'), h.models);
  const building = index.rebuild(h.models, { fresh: true });
  const during = await walk(token, { jurisdictionCode: TOWNSHIP_A }, 50);
  expect(during).toEqual(before[1]);
  expect(await building).toBe(await h.models.units.countDocuments({}));
  expect(await index.ready()).toBe(true);
  expect(await Promise.all(FILTERS.map((f) => walk(token, f, 50)))).toEqual(before);
});

test('the index answers a disjoint jurisdiction with nothing, not with the caller’s own units', async () => {
  const token = await h.token(townshipA);
  expect(await walk(token, { jurisdictionCode: VILLAGE_B1 })).toEqual({ ids: [], total: 0 });
  expect(await walk(token, { jurisdictionCode: VILLAGE_B1, search: '超市' })).toEqual({ ids: [], total: 0 });
});

test('when the index is ready, lists and lookups are answered from it, not from the store', async () => {
  const token = await h.token(countyAdmin);
  const unit = (await h.models.units.findOne({ status: 'active' }).lean<UnitDoc>())!;
  // A change made behind the service's back (a restore, a manual fix) is not seen until a rebuild.
  await h.models.units.updateOne({ _id: unit._id }, { $set: { name: '绕过服务的改名' } });
  const lookup = `query($id: ID!) { unit(id: $id) { name } }`;
  expect((await h.gql<{ unit: { name: string } }>(lookup, { id: unit._id }, token)).data!.unit.name).toBe(unit.name);
  expect((await walk(token, { search: '绕过服务' })).ids).toEqual([]);
  await unitIndex(h.redis, `${h.ns.dbName}:`, testLogger('index'), h.models).rebuild(h.models);
  expect((await h.gql<{ unit: { name: string } }>(lookup, { id: unit._id }, token)).data!.unit.name).toBe('绕过服务的改名');
  expect((await walk(token, { search: '绕过服务' })).ids).toEqual([unit._id]);
});
