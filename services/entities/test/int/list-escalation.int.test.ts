import { seedTree, startHarness, TOWNSHIP_A, townshipA, townshipB, type Harness } from '../harness.ts';

// 通报 and 约谈 by themselves: an overdue list item of a department or a leader names its holder in a
// notice after 7 days and makes an interview due after 30, each once and announced; the interview is
// recorded; editing the list does not repeat them.

let h: Harness;
let now = new Date('2026-03-01T02:00:00.000Z');

beforeAll(async () => {
  h = await startHarness('entities-list-escalation', () => now);
  await seedTree(h);
  await h.services.registry.registerDepartment(townshipA, {
    code: 'qinglong-head',
    name: '青龙乡人民政府乡长',
    holder: 'leader',
    leaderTitle: '乡镇长',
    jurisdictionCode: TOWNSHIP_A,
    responsibilities: [],
    tasks: [
      { id: 't1', title: '组织开展冬春火灾防控', owner: '乡长', deadline: '2026-02-20' },
      { id: 't2', title: '召开消安委全体会议', owner: '乡长', deadline: '2026-12-31' },
    ],
  });
}, 60_000);
afterAll(async () => h?.close());

const item = async (id: string) =>
  (await h.services.registry.departments(townshipA)).find((d) => d._id === 'qinglong-head')!.tasks.find((t) => t.id === id)!;
// Events are delivered at least once: a redelivery carries the same envelope id and counts once.
const escalated = () => [
  ...new Map(
    h.events.messages
      .filter((m) => m.key === 'qinglong-head' && m.envelope?.type === 'entities.department.list_item_escalated')
      .map((m) => [m.envelope!.id, m]),
  ).values(),
];

test('a leader’s lists are registered like a department’s; a leader names the title', async () => {
  const [dept] = (await h.services.registry.departments(townshipA)).filter((d) => d._id === 'qinglong-head');
  expect(dept).toMatchObject({ holder: 'leader', leaderTitle: '乡镇长' });
  await expect(
    h.services.registry.registerDepartment(townshipA, {
      code: 'qinglong-secretary',
      name: '党委书记',
      holder: 'leader',
      jurisdictionCode: TOWNSHIP_A,
      responsibilities: [],
      tasks: [],
    }),
  ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.leaderTitle' }] });
});

test('8 days overdue: one notice (通报); 31 days: the interview (约谈) falls due; nothing twice', async () => {
  expect(await h.services.registry.escalateOverdueLists()).toBe(1);
  expect((await item('t1')).escalation).toEqual({ noticedAt: now.toISOString() });
  expect(await h.services.registry.escalateOverdueLists()).toBe(0);
  now = new Date('2026-03-24T02:00:00.000Z');
  expect(await h.services.registry.escalateOverdueLists()).toBe(1);
  const t1 = await item('t1');
  expect(t1.escalation?.interviewDueAt).toBe(now.toISOString());
  expect((await item('t2')).escalation).toBeUndefined();
  await h.events.waitFor(() => escalated().length >= 2);
  expect(escalated().map((m) => (m.envelope?.data as { step: string; daysOverdue: number }).step)).toEqual([
    'notice',
    'interview_due',
  ]);
});

test('the interview is recorded within scope; editing the list keeps the record', async () => {
  await expect(
    h.services.registry.recordListInterview(townshipB, { departmentCode: 'qinglong-head', list: 'tasks', itemId: 't1' }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(
    h.services.registry.recordListInterview(townshipA, { departmentCode: 'qinglong-head', list: 'tasks', itemId: 't2' }),
  ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.itemId' }] });
  await h.services.registry.recordListInterview(townshipA, { departmentCode: 'qinglong-head', list: 'tasks', itemId: 't1' });
  expect((await item('t1')).escalation?.interviewedAt).toBe(now.toISOString());

  const current = (await h.services.registry.departments(townshipA)).find((d) => d._id === 'qinglong-head')!;
  await h.services.registry.updateDepartment(townshipA, 'qinglong-head', {
    tasks: current.tasks.map(({ id, title, owner, deadline, status }) => ({
      id,
      title: `${title}（修订）`,
      owner,
      deadline,
      status,
    })),
  });
  expect((await item('t1')).escalation?.noticedAt).toBeDefined();
  expect(await h.services.registry.escalateOverdueLists()).toBe(0);
  await h.events.waitFor(() => escalated().length >= 3);
  expect((escalated()[2]?.envelope?.data as { step: string }).step).toBe('interviewed');
});
