import {
  decisionItemId,
  issueWarningSchema,
  recordSessionSchema,
  registerCommitteeSchema,
  sessionProblems,
  sessionSchedule,
  updateCommitteeSchema,
} from '../../src/domain/committees.ts';
import { issues } from './fixtures.ts';

const committee = {
  code: 'qinglong-xaw',
  name: '青龙乡消防安全委员会',
  jurisdictionCode: '500230213000',
  members: [
    { name: '李书记', phone: '13800000001', role: 'director', title: '乡党委书记' },
    { name: '王乡长', phone: '13800000002', role: 'deputy_director', title: '乡长' },
    { name: '赵所长', phone: '13800000003', role: 'member', title: '派出所所长', departmentCode: 'qinglong-police' },
  ],
};

describe('registerCommitteeSchema (消安委)', () => {
  test('a township committee with one director; meetings and reports default to every 90 days', () => {
    const parsed = registerCommitteeSchema.parse(committee);
    expect(parsed).toMatchObject({ meetingEveryDays: 90, reportEveryDays: 90, demo: false });
  });

  test('exactly one director, a township or village, known roles, and an interval of 7-366 days', () => {
    expect(
      issues(registerCommitteeSchema, {
        ...committee,
        jurisdictionCode: '500230000000',
        members: [{ name: '甲', phone: '13800000001', role: 'chair' }],
        meetingEveryDays: 3,
      }),
    ).toEqual([
      'jurisdictionCode: must be a township or village code: committees sit at those levels',
      'members.0.role: "chair" is not a known value; expected one of: director, deputy_director, office_head, member',
      'meetingEveryDays: must be at least 7',
    ]);
    expect(
      issues(registerCommitteeSchema, {
        ...committee,
        members: committee.members.map((m) => ({ ...m, role: 'director' })),
      }),
    ).toEqual(['members: must have exactly one director (主任), not 3']);
  });

  test('an update changes something', () => {
    expect(issues(updateCommitteeSchema, { expectedVersion: 2 })).toEqual([
      ': must change at least one of name, members, meetingEveryDays, reportEveryDays',
    ]);
  });
});

describe('sessions of 双定期', () => {
  const session = recordSessionSchema.parse({
    committeeCode: 'qinglong-xaw',
    id: '2026-q1',
    kind: 'meeting',
    heldOn: '2026-03-10',
    attendees: ['李书记', '王乡长'],
    minutes: '研究部署春季火灾防控工作',
    decisions: [{ title: '开展电动自行车专项整治', departmentCode: 'qinglong-police', owner: '赵所长', deadline: '2026-04-30' }],
  });

  test('a decision’s list item id is derived from the session', () => {
    expect(decisionItemId('2026-q1', 0)).toBe('2026-q1-d1');
  });

  test('no session in the future, no decision due before its session', () => {
    expect(sessionProblems(session, '2026-03-10')).toEqual([]);
    expect(
      sessionProblems(
        { ...session, heldOn: '2026-03-12', decisions: [{ ...session.decisions[0]!, deadline: '2026-03-11' }] },
        '2026-03-11',
      ),
    ).toEqual([
      { path: '$.heldOn', reason: '2026-03-12 is after today (2026-03-11)' },
      { path: '$.decisions[0].deadline', reason: '2026-03-11 is before the session (2026-03-12)' },
    ]);
  });

  test('the next session is due every N days after the last (or the setting up); a day past is overdue', () => {
    // 2026-06-09T16:30Z is 2026-06-10 in Beijing.
    expect(sessionSchedule('2026-03-10', '2026-01-01', 90, new Date('2026-06-08T03:00:00Z'))).toEqual({
      nextDue: '2026-06-08',
      overdue: false,
      daysOverdue: 0,
    });
    expect(sessionSchedule('2026-03-10', '2026-01-01', 90, new Date('2026-06-09T16:30:00Z'))).toEqual({
      nextDue: '2026-06-08',
      overdue: true,
      daysOverdue: 2,
    });
    expect(sessionSchedule(undefined, '2026-01-01', 30, new Date('2026-01-20T00:00:00Z')).nextDue).toBe('2026-01-31');
  });
});

describe('issueWarningSchema (预警提示)', () => {
  const warning = {
    id: 'spring-festival-2027',
    jurisdictionCode: '500230213000',
    kind: 'holiday',
    title: '春节期间火灾预警',
    body: '春节期间烟花爆竹燃放集中，请各网格入户提示。',
    validFrom: '2027-02-01',
    validTo: '2027-02-20',
  };
  test('defaults to 24 hours to acknowledge; the period runs forwards', () => {
    expect(issueWarningSchema.parse(warning).acknowledgeWithinHours).toBe(24);
    expect(issues(issueWarningSchema, { ...warning, kind: 'flood' })).toEqual([
      'kind: "flood" is not a known value; expected one of: holiday, seasonal, major_event, typical_fire',
    ]);
    expect(issues(issueWarningSchema, { ...warning, validTo: '2027-01-31' })).toEqual([
      'validTo: must not be before validFrom (2027-02-01)',
    ]);
  });
});
