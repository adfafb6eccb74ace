import { fireForceTopic, householdTopic } from '@firegov/contracts';
import {
  COUNTY,
  GRID_A1,
  VILLAGE_A1,
  VILLAGE_A2,
  VILLAGE_B1,
  brigade,
  countyAdmin,
  seedTree,
  startHarness,
  townshipA,
  townshipB,
  validUnit,
  type Harness,
} from '../harness.ts';

let h: Harness;
let adminToken: string;
let townshipAToken: string;
let townshipBToken: string;
let brigadeToken: string;

const UNIT_FIELDS = `id version name creditCode category categoryLabel villageCode townshipCode gridCode highRise selfBuiltTarget keyUnit
  responsiblePerson { name phone idNumber } risk { score grade factors { code points } }`;
const REGISTER = `mutation($input: RegisterUnitInput!) { registerUnit(input: $input) {
  __typename ... on MutationRegisterUnitSuccess { data { ${UNIT_FIELDS} } } ... on MutationError { code message details { path reason } } } }`;

type RegisterResult = {
  registerUnit: {
    __typename: string;
    data?: Record<string, unknown> & { id: string };
    code?: string;
    details?: Array<{ path: string; reason: string }>;
  };
};

beforeAll(async () => {
  h = await startHarness('entities-units');
  await seedTree(h);
  adminToken = await h.token(countyAdmin);
  townshipAToken = await h.token(townshipA);
  townshipBToken = await h.token(townshipB);
  brigadeToken = await h.token(brigade);
});
afterAll(async () => h.close());

const register = (input: Record<string, unknown>, token = townshipAToken) => h.gql<RegisterResult>(REGISTER, { input }, token);

test('registering a unit stores it with derived flags and an explained risk grade, and announces it', async () => {
  const res = await register(
    validUnit({
      name: '青龙大厦',
      category: 'high_rise',
      buildingUse: 'residential',
      floors: 18,
      heightM: 54,
      occupancy: 600,
      gridCode: GRID_A1,
      creditCode: '9144030071526726XG',
      keyUnit: true,
    }),
  );
  expect(res.errors).toBeUndefined();
  const unit = res.data!.registerUnit.data!;
  expect(unit).toMatchObject({
    version: 1,
    villageCode: VILLAGE_A1,
    townshipCode: '500230213000',
    gridCode: GRID_A1,
    highRise: true,
    keyUnit: true,
    categoryLabel: '高层建筑',
  });
  const risk = unit.risk as { score: number; grade: string; factors: Array<{ points: number }> };
  expect(risk.factors.length).toBeGreaterThan(0);
  expect(
    Math.min(
      100,
      Math.max(
        0,
        risk.factors.reduce((n, f) => n + f.points, 0),
      ),
    ),
  ).toBeCloseTo(risk.score);

  const [registered] = await h.events.waitFor((m) => m.envelope?.type === 'entities.unit.registered' && m.key === unit.id);
  const data = registered!.envelope!.data as Record<string, unknown>;
  expect(data).toMatchObject({ id: unit.id, name: '青龙大厦', villageCode: VILLAGE_A1, highRise: true, riskGrade: risk.grade });
  // Snapshots leave personal data in the registry.
  expect(JSON.stringify(data)).not.toContain('13912345678');
  expect(data).not.toHaveProperty('responsiblePerson');
  await h.events.waitFor((m) => m.envelope?.type === 'entities.unit.risk_graded' && m.key === unit.id);
});

test('a business self-built house with 10 or more people is flagged as the seed task 10 target', async () => {
  const res = await register(
    validUnit({ name: '李家经营性自建房', category: 'business_self_built_house', occupancy: 12, floors: 4, heightM: 13 }),
  );
  expect(res.data!.registerUnit.data).toMatchObject({ selfBuiltTarget: true, highRise: false });
});

test('invalid input is refused naming every bad field, and nothing is stored or announced', async () => {
  const before = await h.models.units.countDocuments();
  const res = await register(
    validUnit({
      name: '',
      creditCode: '9144030071526726XA',
      jurisdictionCode: '500230213999',
      floors: -1,
      responsiblePerson: { name: '王五', phone: '12345', idNumber: '110105194912310021' },
    }),
  );
  const result = res.data!.registerUnit;
  expect(result.__typename).toBe('MutationError');
  expect(result.code).toBe('VALIDATION_FAILED');
  const paths = result.details!.map((d) => d.path);
  expect(paths).toEqual(
    expect.arrayContaining(['$.name', '$.creditCode', '$.floors', '$.responsiblePerson.phone', '$.responsiblePerson.idNumber']),
  );
  expect(result.details!.find((d) => d.path === '$.creditCode')!.reason).toMatch(/check character/);
  expect(await h.models.units.countDocuments()).toBe(before);

  const unknownVillage = await register(validUnit({ jurisdictionCode: '500230213299' }));
  expect(unknownVillage.data!.registerUnit).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.jurisdictionCode' }],
  });
  expect(await h.models.units.countDocuments()).toBe(before);
});

test('a second unit with the same credit code is refused with a clear conflict', async () => {
  const first = await register(validUnit({ name: '华为门店', creditCode: '914403001922038216' }));
  expect(first.data!.registerUnit.__typename).toBe('MutationRegisterUnitSuccess');
  const again = await register(validUnit({ name: '另一家', creditCode: '914403001922038216', jurisdictionCode: VILLAGE_A2 }));
  expect(again.data!.registerUnit).toMatchObject({
    __typename: 'MutationError',
    code: 'CONFLICT',
    details: [{ path: '$.creditCode' }],
  });
  expect(again.data!.registerUnit.details![0]!.reason).toContain(first.data!.registerUnit.data!.id);
});

test('phones and ID numbers are masked for roles that do not work with people door to door', async () => {
  const created = (await register(validUnit({ name: '掩码测试店' }))).data!.registerUnit.data!;
  const q = `query($id: ID!) { unit(id: $id) { responsiblePerson { name phone idNumber } } }`;
  const full = await h.gql<{ unit: { responsiblePerson: Record<string, string> } }>(q, { id: created.id }, townshipAToken);
  expect(full.data!.unit.responsiblePerson).toEqual({ name: '张三', phone: '13912345678', idNumber: '11010519491231002X' });
  const masked = await h.gql<{ unit: { responsiblePerson: Record<string, string> } }>(q, { id: created.id }, brigadeToken);
  expect(masked.data!.unit.responsiblePerson).toEqual({ name: '张三', phone: '139****5678', idNumber: '110105********002X' });
});

test('a township user never sees or touches another township’s units, whatever the query', async () => {
  await register(validUnit({ name: '邻乡餐馆', jurisdictionCode: VILLAGE_B1 }), adminToken);
  const bUnit = (
    await h.gql<{ units: { nodes: Array<{ id: string }> } }>(
      `{ units(filter: { search: "邻乡餐馆" }) { nodes { id } } }`,
      {},
      adminToken,
    )
  ).data!.units.nodes[0]!;

  const listA = await h.gql<{ units: { totalCount: number; nodes: Array<{ villageCode: string }> } }>(
    `{ units(first: 100) { totalCount nodes { villageCode } } }`,
    {},
    townshipAToken,
  );
  expect(listA.data!.units.totalCount).toBeGreaterThan(0);
  expect(listA.data!.units.nodes.every((u) => u.villageCode !== VILLAGE_B1)).toBe(true);
  // Asking for the other township explicitly narrows to nothing rather than widening the scope.
  const sneaky = await h.gql<{ units: { totalCount: number } }>(
    `query($j: String) { units(filter: { jurisdictionCode: $j }) { totalCount } }`,
    { j: VILLAGE_B1 },
    townshipAToken,
  );
  expect(sneaky.data!.units.totalCount).toBe(0);
  const direct = await h.gql<{ unit: unknown }>(`query($id: ID!) { unit(id: $id) { id } }`, { id: bUnit.id }, townshipAToken);
  expect(direct.data!.unit).toBeNull();
  const entities = await h.gql<{ _entities: unknown[] }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { id name } } }`,
    { r: [{ __typename: 'Unit', id: bUnit.id }] },
    townshipAToken,
  );
  expect(entities.data!._entities).toEqual([null]);
  const update = await h.gql<{ updateUnit: { code: string } }>(
    `mutation($id: ID!) { updateUnit(id: $id, input: { occupancy: 5 }) { ... on MutationError { code } } }`,
    { id: bUnit.id },
    townshipAToken,
  );
  expect(update.data!.updateUnit.code).toBe('NOT_FOUND');
  const placeInB = await register(validUnit({ jurisdictionCode: VILLAGE_B1 }), townshipAToken);
  expect(placeInB.data!.registerUnit.code).toBe('FORBIDDEN');
  // The other township still sees its own.
  const listB = await h.gql<{ units: { totalCount: number } }>(`{ units { totalCount } }`, {}, townshipBToken);
  expect(listB.data!.units.totalCount).toBe(1);
});

test('federation references resolve in one batch, in order, with nulls for unknown ids', async () => {
  const ids = (
    await h.gql<{ units: { nodes: Array<{ id: string }> } }>(`{ units(first: 3) { nodes { id } } }`, {}, townshipAToken)
  ).data!.units.nodes.map((n) => n.id);
  const reps = [...ids.map((id) => ({ __typename: 'Unit', id })), { __typename: 'Unit', id: 'u_missing' }];
  const res = await h.gql<{ _entities: Array<{ id: string } | null> }>(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Unit { id } } }`,
    { r: reps },
    townshipAToken,
  );
  expect(res.data!._entities).toEqual([...ids.map((id) => ({ id })), null]);
});

test('cursor pagination walks every unit once and totalCount matches', async () => {
  for (let i = 0; i < 5; i += 1) await register(validUnit({ name: `分页测试 ${i}`, jurisdictionCode: VILLAGE_A2 }));
  const q = `query($after: String) { units(first: 2, after: $after, filter: { jurisdictionCode: "${VILLAGE_A2}" }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`;
  const seen: string[] = [];
  let after: string | null = null;
  let total = 0;
  for (let guard = 0; guard < 20; guard += 1) {
    const page: {
      data?: {
        units: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string }> };
      };
    } = await h.gql(q, { after }, townshipAToken);
    total = page.data!.units.totalCount;
    seen.push(...page.data!.units.nodes.map((n) => n.id));
    if (!page.data!.units.pageInfo.hasNextPage) break;
    after = page.data!.units.pageInfo.endCursor;
  }
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen).toHaveLength(total);
  expect(total).toBeGreaterThanOrEqual(5);
  const bad = await h.gql(`{ units(after: "nonsense") { totalCount } }`, {}, townshipAToken);
  expect(bad.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
});

test('an update bumps the version, announces what changed, and re-grades risk; stale versions are refused', async () => {
  const unit = (await register(validUnit({ name: '升级测试', occupancy: 20 }))).data!.registerUnit.data!;
  const m = `mutation($id: ID!, $input: UpdateUnitInput!) { updateUnit(id: $id, input: $input) {
    ... on MutationUpdateUnitSuccess { data { version occupancy: risk { score grade } } } ... on MutationError { code details { path } } } }`;
  const ok = await h.gql<{ updateUnit: { data: { version: number } } }>(
    m,
    { id: unit.id, input: { occupancy: 1500, keyUnit: true, expectedVersion: 1 } },
    townshipAToken,
  );
  expect(ok.errors).toBeUndefined();
  expect(ok.data!.updateUnit.data.version).toBe(2);
  const [updated] = await h.events.waitFor((e) => e.envelope?.type === 'entities.unit.updated' && e.key === unit.id);
  expect((updated!.envelope!.data as { changed: string[] }).changed.sort()).toEqual(['keyUnit', 'occupancy']);
  await h.events.waitFor((e) => e.envelope?.type === 'entities.unit.risk_graded' && e.key === unit.id, 2);
  const stale = await h.gql<{ updateUnit: { code: string } }>(
    m,
    { id: unit.id, input: { occupancy: 10, expectedVersion: 1 } },
    townshipAToken,
  );
  expect(stale.data!.updateUnit.code).toBe('CONFLICT');
});

test('deregistration keeps the record, hides it from default lists and announces it with the reason', async () => {
  const unit = (await register(validUnit({ name: '注销测试' }))).data!.registerUnit.data!;
  const res = await h.gql<{ deregisterUnit: { __typename: string } }>(
    `mutation($id: ID!) { deregisterUnit(id: $id, reason: "停业") { __typename } }`,
    { id: unit.id },
    townshipAToken,
  );
  expect(res.data!.deregisterUnit.__typename).toBe('MutationDeregisterUnitSuccess');
  const [ev] = await h.events.waitFor((e) => e.envelope?.type === 'entities.unit.deregistered' && e.key === unit.id);
  expect(ev!.envelope!.data).toMatchObject({ status: 'deregistered', reason: '停业' });
  const listed = await h.gql<{ units: { nodes: Array<{ id: string }> } }>(
    `{ units(first: 100, filter: { search: "注销测试" }) { nodes { id } } }`,
    {},
    townshipAToken,
  );
  expect(listed.data!.units.nodes).toHaveLength(0);
});

test('requests without a valid token read nothing', async () => {
  const anon = await h.gql(`{ units { totalCount } }`);
  expect(anon.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  const forged = await h.gql(`{ units { totalCount } }`, {}, `${townshipAToken.slice(0, -4)}AAAA`);
  expect(forged.errors![0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
});

test('village summaries, the jurisdiction tree and fire-force readiness answer within scope', async () => {
  const sums = await h.gql<{
    villageSummaries: Array<{ villageCode: string; villageName: string; units: number; byGrade: Record<string, number> }>;
  }>(`{ villageSummaries { villageCode villageName units byGrade { low general significant major } } }`, {}, townshipAToken);
  const a1 = sums.data!.villageSummaries.find((s) => s.villageCode === VILLAGE_A1)!;
  expect(a1.villageName).toBe('青龙村');
  expect(Object.values(a1.byGrade).reduce((x, y) => x + y, 0)).toBe(a1.units);
  expect(sums.data!.villageSummaries.some((s) => s.villageCode === VILLAGE_B1)).toBe(false);

  const tree = await h.gql<{
    jurisdictionTree: Array<{ code: string; children: Array<{ code: string; children: Array<{ code: string }> }> }>;
  }>(`{ jurisdictionTree { code children { code children { code } } } }`, {}, adminToken);
  expect(tree.data!.jurisdictionTree[0]!.code).toBe(COUNTY);
  expect(tree.data!.jurisdictionTree[0]!.children.map((c) => c.code)).toEqual(['500230213000', '500230214000']);

  await h.services.registry.registerFireTeam(townshipA, {
    jurisdictionCode: VILLAGE_A1,
    kind: 'part_time',
    name: '青龙村兼职消防队',
    members: Array.from({ length: 12 }, (_, i) => ({ name: `队员${i}`, phone: '13800138000' })),
    equipment: [{ item: '手抬机动泵', quantity: 1 }],
  });
  const ready = await h.gql<{
    fireForceReadiness: Array<{ villageCode: string; shortBy: number; hasMicroStation: boolean; ready: boolean; gaps: string[] }>;
  }>(`{ fireForceReadiness(onlyGaps: true) { villageCode shortBy hasMicroStation ready gaps } }`, {}, townshipAToken);
  const row = ready.data!.fireForceReadiness.find((r) => r.villageCode === VILLAGE_A1)!;
  expect(row).toMatchObject({ shortBy: 8, hasMicroStation: false, ready: false });
  expect(row.gaps.length).toBe(2);
});

test('a household resolves as a federation entity in scope only, with the devices declared at registration', async () => {
  const created = await h.gql<{ registerHousehold: { data: { id: string } } }>(
    `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { ... on MutationRegisterHouseholdSuccess { data { id } } } }`,
    {
      input: {
        jurisdictionCode: VILLAGE_A1,
        address: '联邦测试 1 号',
        members: [{ name: '张三', vulnerabilities: ['empty_nest_elderly'] }],
        devices: [{ kind: 'smoke_detector', count: 2, installedOn: '2026-03-01' }],
      },
    },
    townshipAToken,
  );
  expect(created.errors).toBeUndefined();
  const id = created.data!.registerHousehold.data.id;
  const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Household { id installedDevices { kind count } } } }`;
  const mine = await h.gql<{ _entities: unknown[] }>(q, { r: [{ __typename: 'Household', id }] }, townshipAToken);
  expect(mine.data!._entities).toEqual([{ id, installedDevices: [{ kind: 'smoke_detector', count: 2 }] }]);
  const theirs = await h.gql<{ _entities: unknown[] }>(q, { r: [{ __typename: 'Household', id }] }, townshipBToken);
  expect(theirs.data!._entities).toEqual([null]);
});

test('an unknown field or enum value is refused without suggesting a real one; a bad variable names its path', async () => {
  const token = await h.token(countyAdmin);
  const literal = await h.gql(`{ units(filter: { category: restaurnt }) { totalCount } }`, {}, token);
  expect(literal.errors?.[0]?.message).toBe('Value "restaurnt" does not exist in "UnitCategory" enum.');
  const field = await h.gql(`{ units(filter: { categry: restaurant }) { totalCount } }`, {}, token);
  expect(field.errors?.[0]?.message).toBe('Field "categry" is not defined by type "UnitFilter".');
  const variable = await h.gql(
    `query($f: UnitFilter) { units(filter: $f) { totalCount } }`,
    { f: { category: 'restaurnt' } },
    token,
  );
  expect(variable.errors).toEqual([
    {
      message:
        'Variable "$f" got invalid value "restaurnt" at "f.category"; Value "restaurnt" does not exist in "UnitCategory" enum.',
      extensions: { code: 'VALIDATION_FAILED' },
    },
  ]);
});

test('a household is updated (devices fitted, a member added) under its version, announced whole; stale, empty or foreign updates change nothing', async () => {
  const created = await h.services.registry.registerHousehold(townshipA, {
    jurisdictionCode: VILLAGE_A1,
    address: '更新测试 2 号',
    members: [{ name: '李四', vulnerabilities: ['empty_nest_elderly'] }],
    devices: [],
  });
  const UPDATE = `mutation($id: ID!, $input: UpdateHouseholdInput!) { updateHousehold(id: $id, input: $input) {
    __typename ... on MutationUpdateHouseholdSuccess { data { version installedDevices { kind count } members { name } } }
    ... on MutationError { code message details { path reason } } } }`;
  type Res = {
    updateHousehold: {
      __typename: string;
      data?: { version: number; installedDevices: unknown[]; members: unknown[] };
      code?: string;
    };
  };
  const fitted = await h.gql<Res>(
    UPDATE,
    {
      id: created._id,
      input: {
        expectedVersion: 1,
        devices: [{ kind: 'smoke_detector', count: 1, installedOn: '2026-03-05' }],
        members: [
          { name: '李四', vulnerabilities: ['empty_nest_elderly'] },
          { name: '李小四', vulnerabilities: ['left_behind_child'] },
        ],
      },
    },
    townshipAToken,
  );
  expect(fitted.data!.updateHousehold).toMatchObject({
    __typename: 'MutationUpdateHouseholdSuccess',
    data: {
      version: 2,
      installedDevices: [{ kind: 'smoke_detector', count: 1 }],
      members: [{ name: '李四' }, { name: '李小四' }],
    },
  });
  const stale = await h.gql<Res>(UPDATE, { id: created._id, input: { expectedVersion: 1, address: '别处' } }, townshipAToken);
  expect(stale.data!.updateHousehold.code).toBe('CONFLICT');
  const empty = await h.gql<Res>(UPDATE, { id: created._id, input: {} }, townshipAToken);
  expect(empty.data!.updateHousehold.code).toBe('VALIDATION_FAILED');
  const foreign = await h.gql<Res>(UPDATE, { id: created._id, input: { address: '别处' } }, townshipBToken);
  expect(foreign.data!.updateHousehold.code).toBe('NOT_FOUND');
  expect((await h.models.households.findById(created._id).lean())?.address).toBe('更新测试 2 号');

  const [updated] = await h.events.waitFor(
    (m) => m.topic === h.topic(householdTopic.name) && m.envelope?.type === 'entities.household.updated' && m.key === created._id,
  );
  expect(updated?.envelope?.data).toMatchObject({
    id: created._id,
    memberCount: 2,
    vulnerabilities: ['empty_nest_elderly', 'left_behind_child'],
    devices: [{ kind: 'smoke_detector', count: 1, installedOn: '2026-03-05' }],
  });
});

test('a fire team’s roster and equipment change under its version; stale or foreign updates are refused; the change is announced whole', async () => {
  const team = await h.services.registry.registerFireTeam(townshipA, {
    jurisdictionCode: VILLAGE_A2,
    kind: 'part_time',
    name: '石龙村兼职消防队',
    members: Array.from({ length: 5 }, (_, i) => ({ name: `队员${i}`, phone: '13800138000' })),
    equipment: [],
  });
  const UPDATE = `mutation($id: ID!, $input: UpdateFireTeamInput!) { updateFireTeam(id: $id, input: $input) {
    __typename ... on MutationUpdateFireTeamSuccess { data { version memberCount equipment { item quantity } } }
    ... on MutationError { code } } }`;
  type Res = { updateFireTeam: { __typename: string; data?: { version: number; memberCount: number }; code?: string } };
  const members = Array.from({ length: 22 }, (_, i) => ({ name: `队员${i}`, phone: '13800138000' }));
  const grown = await h.gql<Res>(
    UPDATE,
    { id: team._id, input: { expectedVersion: 1, members, equipment: [{ item: '消防水带', quantity: 4 }] } },
    townshipAToken,
  );
  expect(grown.data!.updateFireTeam).toMatchObject({ data: { version: 2, memberCount: 22 } });
  expect(
    (await h.gql<Res>(UPDATE, { id: team._id, input: { expectedVersion: 1, name: 'x' } }, townshipAToken)).data!.updateFireTeam
      .code,
  ).toBe('CONFLICT');
  expect((await h.gql<Res>(UPDATE, { id: team._id, input: { name: 'x' } }, townshipBToken)).data!.updateFireTeam.code).toBe(
    'NOT_FOUND',
  );
  const [updated] = await h.events.waitFor(
    (m) => m.topic === h.topic(fireForceTopic.name) && m.envelope?.type === 'entities.fireteam.updated' && m.key === team._id,
  );
  expect(updated?.envelope?.data).toMatchObject({ id: team._id, memberCount: 22, equipmentItems: 1 });
});

test('micro stations, township teams and specialist forces are held to their standards; call-outs are recorded', async () => {
  const roster = [
    { from: '08:00', to: '20:00', members: ['张站长', '李队员', '王队员'] },
    { from: '20:00', to: '08:00', members: ['赵队员', '钱队员'] },
  ];
  const REGISTER = `mutation($input: RegisterFireTeamInput!) { registerFireTeam(input: $input) { __typename
    ... on MutationRegisterFireTeamSuccess { data { id stationType meetsStandards checks { code ok severity } } }
    ... on MutationError { code details { path reason } } } }`;
  type Reg = {
    registerFireTeam: {
      __typename: string;
      code?: string;
      details?: Array<{ path: string }>;
      data?: { id: string; meetsStandards: boolean; checks: Array<{ code: string; ok: boolean; severity: string }> };
    };
  };
  const members = ['张站长', '李队员', '王队员', '赵队员', '钱队员', '孙队员'].map((name, i) => ({
    name,
    phone: `1380013800${i}`,
    role: i === 0 ? '站长' : '队员',
  }));
  const station = await h.gql<Reg>(
    REGISTER,
    {
      input: {
        jurisdictionCode: VILLAGE_A1,
        kind: 'micro_station',
        stationType: 'community',
        name: '青龙村微型消防站',
        members,
        equipment: [],
        dutyRoster: roster,
      },
    },
    townshipAToken,
  );
  const created = station.data!.registerFireTeam.data!;
  expect(created.meetsStandards).toBe(false);
  expect(created.checks.filter((c) => !c.ok).map((c) => c.code)).toEqual(['MS_SHIFT_SIZE']);

  const wrongKind = await h.gql<Reg>(
    REGISTER,
    {
      input: {
        jurisdictionCode: VILLAGE_A1,
        kind: 'part_time',
        stationType: 'community',
        name: '兼职队',
        members,
        equipment: [],
      },
    },
    townshipAToken,
  );
  expect(wrongKind.data!.registerFireTeam).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.stationType' }] });
  const noSpeciality = await h.gql<Reg>(
    REGISTER,
    { input: { jurisdictionCode: VILLAGE_A1, kind: 'specialist_rescue', name: '水上救援队', members, equipment: [] } },
    townshipAToken,
  );
  expect(noSpeciality.data!.registerFireTeam).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.speciality' }] });

  const CALL = `mutation($id: ID!, $input: FireTeamCallOutInput!) { recordFireTeamCallOut(teamId: $id, input: $input) { __typename
    ... on MutationRecordFireTeamCallOutSuccess { data { callOuts { arrivalMinutes } checks { code ok } } }
    ... on MutationError { code details { path } } } }`;
  type Call = {
    recordFireTeamCallOut: {
      code?: string;
      details?: Array<{ path: string }>;
      data?: { callOuts: Array<{ arrivalMinutes: number }>; checks: Array<{ code: string; ok: boolean }> };
    };
  };
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const late = await h.gql<Call>(
    CALL,
    { id: created.id, input: { at, arrivalMinutes: 5, incident: '村民厨房起火' } },
    townshipAToken,
  );
  expect(late.data!.recordFireTeamCallOut.data!.callOuts).toEqual([{ arrivalMinutes: 5 }]);
  expect(late.data!.recordFireTeamCallOut.data!.checks.find((c) => c.code === 'ARRIVAL_3MIN')!.ok).toBe(false);
  const bad = await h.gql<Call>(
    CALL,
    { id: created.id, input: { at: 'yesterday', arrivalMinutes: -1, incident: '' } },
    townshipAToken,
  );
  expect(bad.data!.recordFireTeamCallOut.code).toBe('VALIDATION_FAILED');
  expect(bad.data!.recordFireTeamCallOut.details!.map((d) => d.path).sort()).toEqual(['$.arrivalMinutes', '$.at', '$.incident']);
  const elsewhere = await h.gql<Call>(
    CALL,
    { id: created.id, input: { at, arrivalMinutes: 2, incident: '外乡' } },
    townshipBToken,
  );
  expect(elsewhere.data!.recordFireTeamCallOut.code).toBe('NOT_FOUND');

  // The roster fixed: three on the night shift too.
  const fixed = await h.services.registry.updateFireTeam(townshipA, created.id, {
    dutyRoster: [roster[0], { ...roster[1]!, members: ['赵队员', '钱队员', '孙队员'] }],
  });
  expect(h.services.registry.checksOf(fixed).filter((c) => !c.ok && c.severity === 'fail')).toEqual([]);
});

test('a county sets its village readiness target; only its administrator, never below 20', async () => {
  const SET = `mutation($m: Int!, $h: Float!) { setFireForceReadinessPolicy(requiredMembers: $m, minTrainingHoursPerYear: $h) { __typename
    ... on MutationSetFireForceReadinessPolicySuccess { data { requiredMembers changedAt } }
    ... on MutationError { code details { path } } } }`;
  type Set = {
    setFireForceReadinessPolicy: {
      __typename: string;
      code?: string;
      details?: Array<{ path: string }>;
      data?: { requiredMembers: number };
    };
  };
  const refused = await h.gql<Set>(SET, { m: 25, h: 0 }, townshipAToken);
  expect(refused.data!.setFireForceReadinessPolicy.code).toBe('FORBIDDEN');
  const tooFew = await h.gql<Set>(SET, { m: 19, h: -1 }, adminToken);
  expect(tooFew.data!.setFireForceReadinessPolicy).toMatchObject({ code: 'VALIDATION_FAILED' });
  expect(tooFew.data!.setFireForceReadinessPolicy.details!.map((d) => d.path).sort()).toEqual([
    '$.minTrainingHoursPerYear',
    '$.requiredMembers',
  ]);
  const ok = await h.gql<Set>(SET, { m: 25, h: 0 }, adminToken);
  expect(ok.data!.setFireForceReadinessPolicy.data!.requiredMembers).toBe(25);
  const ready = await h.gql<{ fireForceReadiness: Array<{ villageCode: string; required: number }> }>(
    '{ fireForceReadiness { villageCode required } }',
    {},
    townshipAToken,
  );
  expect(ready.data!.fireForceReadiness.every((r) => r.required === 25)).toBe(true);
  await h.events.waitFor((e) => e.envelope?.type === 'entities.fireforce.readiness_policy_changed');
});
