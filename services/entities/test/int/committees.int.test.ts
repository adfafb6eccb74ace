import type { Identity } from '@firegov/auth';
import { collectionOf } from '@firegov/kit';
import {
  countyAdmin,
  GRID_A1,
  seedTree,
  startHarness,
  TOWNSHIP_A,
  TOWNSHIP_B,
  townshipA,
  townshipB,
  VILLAGE_A1,
  VILLAGE_A2,
  type Harness,
} from '../harness.ts';

// 消安委 (seed task 6): a township committee with members; a 双定期 session whose decisions become
// items of a department's 任务清单 (once, even when retried or completed after a crash); the
// schedule on the clock; and a 预警提示 sent down to every grid, acknowledged by each grid's own
// manager, with the silent grids named once the time to acknowledge has passed.

const GRID_A2 = `${VILLAGE_A2}-G01`;
const gridManagerA1: Identity = { subject: 'wang-grid', role: 'village_grid_manager', jurisdiction: VILLAGE_A1 };
const departmentOfficer: Identity = { subject: 'dept', role: 'department_officer', jurisdiction: TOWNSHIP_A };

let h: Harness;
let now = new Date('2026-03-12T02:00:00.000Z');

const members = [
  { name: '李书记', phone: '13800000001', role: 'director', title: '乡党委书记' },
  { name: '王乡长', phone: '13800000002', role: 'deputy_director', title: '乡长' },
  { name: '赵所长', phone: '13800000003', role: 'member', title: '派出所所长', departmentCode: 'qinglong-police' },
];
const session = {
  committeeCode: 'qinglong-xaw',
  id: '2026-q1',
  kind: 'meeting',
  heldOn: '2026-03-10',
  attendees: ['李书记', '王乡长', '赵所长'],
  minutes: '研究部署春季火灾防控工作，明确电动自行车整治责任。',
  decisions: [{ title: '开展电动自行车专项整治', departmentCode: 'qinglong-police', owner: '赵所长', deadline: '2026-04-30' }],
};

beforeAll(async () => {
  h = await startHarness('entities-committees', () => now);
  await seedTree(h);
  await h.services.registry.registerJurisdiction(countyAdmin, {
    code: GRID_A2,
    name: '石龙村一网格',
    level: 'grid',
    parentCode: VILLAGE_A2,
    gridManagers: [{ name: '刘网格', phone: '13800138001' }],
  });
  for (const [code, place] of [
    ['qinglong-police', TOWNSHIP_A],
    ['linxiang-office', TOWNSHIP_B],
  ] as const) {
    await h.services.registry.registerDepartment(countyAdmin, {
      code,
      name: code,
      jurisdictionCode: place,
      responsibilities: [],
      tasks: [],
    });
  }
}, 60_000);
afterAll(async () => h?.close());

const police = async () => (await h.services.registry.departments(townshipA)).find((d) => d._id === 'qinglong-police')!;
// Events are delivered at least once: a redelivery carries the same envelope id and counts once.
const events = (type: string) => [
  ...new Map(h.events.messages.filter((m) => m.envelope?.type === type).map((m) => [m.envelope!.id, m])).values(),
];

test('a committee names registered departments within its township; only the township (or county) sets it up', async () => {
  await expect(
    h.services.registry.registerCommittee(townshipA, {
      code: 'qinglong-xaw',
      name: '青龙乡消防安全委员会',
      jurisdictionCode: TOWNSHIP_A,
      members: [...members.slice(0, 2), { ...members[2], departmentCode: 'linxiang-office' }],
    }),
  ).rejects.toMatchObject({
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.members[2].departmentCode', reason: `department linxiang-office is not within ${TOWNSHIP_A}` }],
  });
  await expect(
    h.services.registry.registerCommittee(townshipB, {
      code: 'qinglong-xaw',
      name: '青龙乡消防安全委员会',
      jurisdictionCode: TOWNSHIP_A,
      members,
    }),
  ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.services.registry.committees(townshipA)).toEqual([]);

  await h.services.registry.registerCommittee(townshipA, {
    code: 'qinglong-xaw',
    name: '青龙乡消防安全委员会',
    jurisdictionCode: TOWNSHIP_A,
    members,
    meetingEveryDays: 90,
  });
  await h.events.waitFor(() => events('entities.committee.registered').length >= 1);
  const [registered] = events('entities.committee.registered');
  // Members' phones stay in the registry.
  expect(JSON.stringify(registered!.envelope!.data)).not.toContain('13800000001');
  expect(await h.services.registry.committees(townshipB)).toEqual([]);
});

test('a rejected session changes nothing; a session’s decision becomes one list item, even when retried', async () => {
  const before = (await police()).tasks.length;
  await expect(
    h.services.registry.recordCommitteeSession(townshipA, {
      ...session,
      decisions: [{ ...session.decisions[0], departmentCode: 'linxiang-office' }],
    }),
  ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.decisions[0].departmentCode' }] });
  await expect(h.services.registry.recordCommitteeSession(townshipA, { ...session, heldOn: '2026-03-13' })).rejects.toMatchObject(
    { code: 'VALIDATION_FAILED', details: [{ path: '$.heldOn' }] },
  );
  expect(await h.models.committeeSessions.countDocuments({})).toBe(0);
  expect((await police()).tasks).toHaveLength(before);

  const recorded = await h.services.registry.recordCommitteeSession(townshipA, session);
  expect(recorded.decisions.map((d) => d.itemId)).toEqual(['2026-q1-d1']);
  await h.services.registry.recordCommitteeSession(townshipA, session);
  const items = (await police()).tasks.filter((t) => t.origin?.sessionId === '2026-q1');
  expect(items).toEqual([
    expect.objectContaining({
      id: '2026-q1-d1',
      title: '开展电动自行车专项整治',
      deadline: '2026-04-30',
      status: 'pending',
      origin: { committeeCode: 'qinglong-xaw', sessionId: '2026-q1' },
    }),
  ]);
  await expect(
    h.services.registry.recordCommitteeSession(townshipA, { ...session, minutes: '另一次会议' }),
  ).rejects.toMatchObject({ code: 'CONFLICT', details: [{ path: '$.id' }] });

  await h.events.waitFor(() => events('entities.committee.session_recorded').length >= 1);
  expect(events('entities.committee.session_recorded')[0]!.envelope!.data).toMatchObject({
    committeeCode: 'qinglong-xaw',
    decisions: [{ itemId: '2026-q1-d1', departmentCode: 'qinglong-police' }],
  });
  await h.events.waitFor(() => events('entities.department.updated').some((m) => m.key === 'qinglong-police'));
});

test('a session stored before a crash is completed by the sweep, once', async () => {
  const crashed = {
    _id: 'qinglong-xaw/2026-r1',
    committeeCode: 'qinglong-xaw',
    sessionId: '2026-r1',
    scope: ['500230000000', TOWNSHIP_A],
    kind: 'report',
    heldOn: '2026-03-11',
    attendees: ['消防救援站站长'],
    minutes: '通报一季度火灾形势',
    decisions: [
      { itemId: '2026-r1-d1', title: '排查沿街门店', departmentCode: 'qinglong-police', owner: '赵所长', deadline: '2026-05-31' },
    ],
    recordedBy: 'a-officer',
    recordedAt: new Date(now.getTime() - 5 * 60_000).toISOString(),
    applied: false,
  };
  await collectionOf(h.models.committeeSessions).insertOne(crashed as never);
  expect(await h.services.registry.sweepResponsibilities()).toBe(1);
  expect(await h.services.registry.sweepResponsibilities()).toBe(0);
  expect((await police()).tasks.filter((t) => t.id === '2026-r1-d1')).toHaveLength(1);
  const [committee] = await h.services.registry.committees(townshipA);
  expect(committee).toMatchObject({ lastMeetingOn: '2026-03-10', lastReportOn: '2026-03-11' });
});

test('双定期 on the clock: the next meeting falls due 90 days after the last, then reads overdue; phones masked', async () => {
  const query = `{ committees { code members { name phone role } meetings { lastHeldOn nextDue overdue daysOverdue }
    sessions { id kind decisions { itemId } } } departments { code tasks { id fromSession } } }`;
  now = new Date('2026-06-20T02:00:00.000Z');
  const res = await h.gql<{
    committees: Array<{ members: Array<{ phone: string }>; meetings: unknown; sessions: Array<{ id: string }> }>;
    departments: Array<{ code: string; tasks: Array<{ id: string; fromSession: string | null }> }>;
  }>(query, {}, await h.token(departmentOfficer));
  expect(res.errors).toBeUndefined();
  const [c] = res.data!.committees;
  expect(c!.meetings).toEqual({ lastHeldOn: '2026-03-10', nextDue: '2026-06-08', overdue: true, daysOverdue: 12 });
  expect(c!.members[0]!.phone).not.toBe('13800000001');
  expect(c!.sessions.map((s) => s.id)).toEqual(['2026-r1', '2026-q1']);
  const tasks = res.data!.departments.find((d) => d.code === 'qinglong-police')!.tasks;
  expect(tasks.find((t) => t.id === '2026-q1-d1')?.fromSession).toBe('qinglong-xaw/2026-q1');
});

describe('预警提示 to grids', () => {
  const warning = {
    id: 'dragon-boat-2026',
    jurisdictionCode: TOWNSHIP_A,
    kind: 'holiday',
    title: '端午节期间火灾预警',
    body: '节日期间人员聚集，请各网格开展入户提示。',
    validFrom: '2026-06-19',
    validTo: '2026-06-21',
    acknowledgeWithinHours: 12,
  };

  test('goes to every grid under the township; only a grid’s own manager acknowledges it, once', async () => {
    await expect(h.services.registry.issueFireWarning(gridManagerA1, warning)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const issued = await h.services.registry.issueFireWarning(townshipA, warning);
    expect(issued.grids.map((g) => g.code)).toEqual([GRID_A1, GRID_A2]);
    await expect(h.services.registry.issueFireWarning(townshipA, warning)).rejects.toMatchObject({ code: 'CONFLICT' });

    await expect(
      h.services.registry.acknowledgeFireWarning(gridManagerA1, { warningId: warning.id, gridCode: GRID_A2 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      h.services.registry.acknowledgeFireWarning(townshipA, { warningId: warning.id, gridCode: GRID_A1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const acked = await h.services.registry.acknowledgeFireWarning(gridManagerA1, { warningId: warning.id, gridCode: GRID_A1 });
    expect(acked.grids.find((g) => g.code === GRID_A1)).toMatchObject({ acknowledgedBy: 'wang-grid' });
    await h.services.registry.acknowledgeFireWarning(gridManagerA1, { warningId: warning.id, gridCode: GRID_A1 });
    await h.events.waitFor(() => events('entities.warning.acknowledged').length >= 1);
    expect(events('entities.warning.acknowledged')).toHaveLength(1);
    expect(events('entities.warning.acknowledged')[0]!.envelope!.data).toMatchObject({ gridCode: GRID_A1, pendingGrids: 1 });
  });

  test('the grid manager sees the warning and only their grid; the other township sees nothing', async () => {
    const query = `query($on: String) { fireWarnings(activeOn: $on) { id kind pending acknowledged grids { code acknowledgedAt } } }`;
    const mine = await h.gql<{ fireWarnings: Array<{ id: string; pending: number; grids: Array<{ code: string }> }> }>(
      query,
      { on: '2026-06-20' },
      await h.token(gridManagerA1),
    );
    expect(mine.data!.fireWarnings).toEqual([
      {
        id: 'dragon-boat-2026',
        kind: 'holiday',
        pending: 0,
        acknowledged: 1,
        grids: [{ code: GRID_A1, acknowledgedAt: now.toISOString() }],
      },
    ]);
    const later = await h.gql<{ fireWarnings: unknown[] }>(query, { on: '2026-07-01' }, await h.token(gridManagerA1));
    expect(later.data!.fireWarnings).toEqual([]);
    const other = await h.gql<{ fireWarnings: unknown[] }>(query, {}, await h.token(townshipB));
    expect(other.data!.fireWarnings).toEqual([]);
    const bad = await h.gql(query, { on: '2026-6-1' }, await h.token(townshipA));
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.activeOn', reason: '"2026-6-1" is not a date written YYYY-MM-DD' }],
    });
  });

  test('past the time to acknowledge, the silent grids are named once', async () => {
    expect(await h.services.registry.announceUnacknowledgedWarnings()).toBe(0);
    now = new Date(now.getTime() + 13 * 3_600_000);
    expect(await h.services.registry.announceUnacknowledgedWarnings()).toBe(1);
    expect(await h.services.registry.announceUnacknowledgedWarnings()).toBe(0);
    await h.events.waitFor(() => events('entities.warning.acknowledgement_overdue').length >= 1);
    expect(events('entities.warning.acknowledgement_overdue')[0]!.envelope!.data).toMatchObject({ pendingGridCodes: [GRID_A2] });
  });
});
