import {
  COUNTY,
  GRID_A1,
  TOWNSHIP_A,
  VILLAGE_A1,
  countyAdmin,
  seedTree,
  startHarness,
  townshipA,
  townshipB,
  type Harness,
} from '../harness.ts';

let h: Harness;
let admin: string;
let officerA: string;
let officerB: string;

beforeAll(async () => {
  h = await startHarness('entities-registry');
  await seedTree(h);
  admin = await h.token(countyAdmin);
  officerA = await h.token(townshipA);
  officerB = await h.token(townshipB);
});
afterAll(async () => h.close());

type Outcome = { __typename: string; code?: string; details?: Array<{ path: string }>; data?: Record<string, unknown> };
type Result = { registerJurisdiction: Outcome; registerDepartment: Outcome; setListItemStatus: Outcome };

test('a county administrator registers a village and a grid with its grid manager; the tree shows them and the event goes out', async () => {
  const m = `mutation($input: RegisterJurisdictionInput!) { registerJurisdiction(input: $input) {
    __typename ... on MutationRegisterJurisdictionSuccess { data { code level parentCode } } ... on MutationError { code details { path } } } }`;
  const village = await h.gql<Result>(
    m,
    { input: { code: '500230213203', name: '新村', level: 'village', parentCode: TOWNSHIP_A } },
    admin,
  );
  expect(village.data!.registerJurisdiction.data).toEqual({ code: '500230213203', level: 'village', parentCode: TOWNSHIP_A });
  const grid = await h.gql<Result>(
    m,
    {
      input: {
        code: '500230213203-G01',
        name: '新村一网格',
        level: 'grid',
        parentCode: '500230213203',
        gridManagers: [{ name: '李网格', phone: '13700137000' }],
      },
    },
    admin,
  );
  expect(grid.data!.registerJurisdiction.__typename).toBe('MutationRegisterJurisdictionSuccess');
  await h.events.waitFor((e) => e.envelope?.type === 'entities.jurisdiction.registered' && e.key === '500230213203-G01');

  // A township officer may not add jurisdictions; a wrong parent and a duplicate are refused.
  const forbidden = await h.gql<Result>(
    m,
    { input: { code: '500230213204', name: 'x', level: 'village', parentCode: TOWNSHIP_A } },
    officerA,
  );
  expect(forbidden.data!.registerJurisdiction.code).toBe('FORBIDDEN');
  const wrongParent = await h.gql<Result>(
    m,
    { input: { code: '500230213205', name: 'x', level: 'village', parentCode: COUNTY } },
    admin,
  );
  expect(wrongParent.data!.registerJurisdiction).toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.parentCode' }],
  });
  const duplicate = await h.gql<Result>(
    m,
    { input: { code: VILLAGE_A1, name: '青龙村', level: 'village', parentCode: TOWNSHIP_A } },
    admin,
  );
  expect(duplicate.data!.registerJurisdiction.code).toBe('CONFLICT');

  const tree = await h.gql<{
    jurisdictionTree: Array<{
      code: string;
      children: Array<{ code: string; children: Array<{ code: string; gridManagers: Array<{ name: string }> }> }>;
    }>;
  }>(
    `query($c: String) { jurisdictionTree(code: $c) { code children { code children { code gridManagers { name } } } } }`,
    { c: TOWNSHIP_A },
    officerA,
  );
  const newVillage = tree.data!.jurisdictionTree[0]!.children.find((v) => v.code === '500230213203')!;
  expect(newVillage.children).toEqual([{ code: '500230213203-G01', gridManagers: [{ name: '李网格' }] }]);
  expect(tree.data!.jurisdictionTree[0]!.children.find((v) => v.code === VILLAGE_A1)!.children.map((g) => g.code)).toEqual([
    GRID_A1,
  ]);
});

test('a department’s responsibility and task lists are registered and their items move through statuses within scope', async () => {
  const register = await h.gql<Result>(
    `mutation($input: RegisterDepartmentInput!) { registerDepartment(input: $input) { __typename ... on MutationError { code details { path } } } }`,
    {
      input: {
        code: 'qinglong-emergency-test',
        name: '应急办',
        jurisdictionCode: TOWNSHIP_A,
        responsibilities: [{ id: 'r1', title: '组织消防安全检查', owner: '应急办主任' }],
        tasks: [{ id: 't1', title: '电动自行车集中充电点建设', owner: '经发办', deadline: '2026-12-31' }],
      },
    },
    officerA,
  );
  expect(register.data!.registerDepartment.__typename).toBe('MutationRegisterDepartmentSuccess');

  const set = `mutation($d: String!, $l: DepartmentList!, $i: String!, $s: ListItemStatus!) { setListItemStatus(departmentCode: $d, list: $l, itemId: $i, status: $s) {
    __typename ... on MutationSetListItemStatusSuccess { data { tasks { id status } } } ... on MutationError { code details { path } } } }`;
  const moved = await h.gql<Result>(set, { d: 'qinglong-emergency-test', l: 'tasks', i: 't1', s: 'in_progress' }, officerA);
  expect(moved.data!.setListItemStatus.data).toEqual({ tasks: [{ id: 't1', status: 'in_progress' }] });
  const missing = await h.gql<Result>(set, { d: 'qinglong-emergency-test', l: 'tasks', i: 'nope', s: 'done' }, officerA);
  expect(missing.data!.setListItemStatus).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.itemId' }] });
  const otherTownship = await h.gql<Result>(set, { d: 'qinglong-emergency-test', l: 'tasks', i: 't1', s: 'done' }, officerB);
  expect(otherTownship.data!.setListItemStatus.code).toBe('NOT_FOUND');

  const listed = await h.gql<{ departments: Array<{ code: string; tasks: Array<{ status: string }> }> }>(
    `{ departments { code tasks { status } } }`,
    {},
    officerA,
  );
  expect(listed.data!.departments.find((d) => d.code === 'qinglong-emergency-test')!.tasks[0]!.status).toBe('in_progress');
});

test('a task whose deadline has passed reads as overdue without anyone setting it, until it is done', async () => {
  await h.services.registry.registerDepartment(townshipA, {
    code: 'qinglong-clock-test',
    name: '经发办',
    jurisdictionCode: TOWNSHIP_A,
    responsibilities: [],
    tasks: [
      { id: 'late', title: '燃气安全检查', owner: '经发办', deadline: '2026-01-31', status: 'in_progress' },
      { id: 'later', title: '电气火灾监控安装', owner: '经发办', deadline: '2099-12-31' },
    ],
  });
  const read = async () =>
    (await h.services.registry.departments(townshipA))
      .find((d) => d._id === 'qinglong-clock-test')!
      .tasks.map((t) => [t.id, t.status]);
  expect(await read()).toEqual([
    ['late', 'overdue'],
    ['later', 'pending'],
  ]);
  await h.services.registry.setListItemStatus(townshipA, {
    departmentCode: 'qinglong-clock-test',
    list: 'tasks',
    itemId: 'late',
    status: 'done',
  });
  expect(await read()).toEqual([
    ['late', 'done'],
    ['later', 'pending'],
  ]);
});

test('a department’s name and lists are updated under its version, and every change is an event', async () => {
  await h.services.registry.registerDepartment(townshipA, {
    code: 'qinglong-events-test',
    name: '文服中心',
    jurisdictionCode: TOWNSHIP_A,
    responsibilities: [{ id: 'r1', title: '学校、网吧消防安全监管', owner: '文服中心' }],
    tasks: [],
  });
  const update = `mutation($c: String!, $i: UpdateDepartmentInput!) { updateDepartment(code: $c, input: $i) { __typename
    ... on MutationUpdateDepartmentSuccess { data { name version tasks { id status } } }
    ... on MutationError { code details { path reason } } } }`;
  type Updated = { updateDepartment: Outcome };
  const tasks = [{ id: 't1', title: '校园消防演练', owner: '文服中心', deadline: '2099-06-30' }];
  const ok = await h.gql<Updated>(
    update,
    { c: 'qinglong-events-test', i: { name: '文化服务中心', tasks, expectedVersion: 1 } },
    officerA,
  );
  expect(ok.data!.updateDepartment).toMatchObject({
    __typename: 'MutationUpdateDepartmentSuccess',
    data: { name: '文化服务中心', version: 2, tasks: [{ id: 't1', status: 'pending' }] },
  });
  const stale = await h.gql<Updated>(update, { c: 'qinglong-events-test', i: { name: '文服', expectedVersion: 1 } }, officerA);
  expect(stale.data!.updateDepartment).toMatchObject({ code: 'CONFLICT', details: [{ path: '$.expectedVersion' }] });
  const empty = await h.gql<Updated>(update, { c: 'qinglong-events-test', i: {} }, officerA);
  expect(empty.data!.updateDepartment.code).toBe('VALIDATION_FAILED');
  const elsewhere = await h.gql<Updated>(update, { c: 'qinglong-events-test', i: { name: '外乡' } }, officerB);
  expect(elsewhere.data!.updateDepartment.code).toBe('NOT_FOUND');
  await h.services.registry.setListItemStatus(townshipA, {
    departmentCode: 'qinglong-events-test',
    list: 'tasks',
    itemId: 't1',
    status: 'in_progress',
  });

  const ofDept = (type: string) => (e: { key?: string | undefined; envelope?: { type: string } | undefined }) =>
    e.key === 'qinglong-events-test' && e.envelope?.type === type;
  await h.events.waitFor(ofDept('entities.department.registered'));
  const [updated] = await h.events.waitFor(ofDept('entities.department.updated'));
  expect(updated?.envelope?.data).toMatchObject({ name: '文化服务中心', version: 2, changed: ['name', 'tasks'] });
  const [moved] = await h.events.waitFor(ofDept('entities.department.list_item_changed'));
  expect(moved?.envelope?.data).toMatchObject({ list: 'tasks', itemId: 't1', from: 'pending', to: 'in_progress', version: 3 });
});
