import { daysOverdue, dueSteps, registerDepartmentSchema, statusOn } from '../../src/domain/departments.ts';
import { issues } from './fixtures.ts';

describe('registerDepartmentSchema', () => {
  const department = {
    code: 'emergency',
    name: '应急办',
    jurisdictionCode: '500230213000',
    responsibilities: [{ id: 'r1', title: '统筹全乡消防安全工作', owner: '应急办主任' }],
    tasks: [{ id: 't1', title: '开展高层建筑除险清患', owner: '李主任', deadline: '2023-06-30', status: 'in_progress' }],
  };

  test('accepts a department and defaults item status to pending', () => {
    const parsed = registerDepartmentSchema.parse(department);
    expect(parsed.responsibilities[0]?.status).toBe('pending');
    expect(parsed.tasks[0]?.status).toBe('in_progress');
  });

  test('checks the code, item ids and duplicates', () => {
    expect(
      issues(registerDepartmentSchema, {
        ...department,
        code: 'Emergency',
        tasks: [department.tasks[0], { id: 't1', title: '再次', owner: '李' }, { id: 'bad id', title: 'x', owner: 'y' }],
      }),
    ).toEqual([
      'code: must be 2-31 characters: a lowercase letter, then lowercase letters, digits, "_" or "-"',
      'tasks.2.id: must be 1-40 letters, digits, "_" or "-"',
      'tasks.1.id: id "t1" is used twice',
    ]);
    expect(issues(registerDepartmentSchema, { ...department, tasks: [department.tasks[0], department.tasks[0]] })).toEqual([
      'tasks.1.id: id "t1" is used twice',
    ]);
  });
});

describe('statusOn (逾期 by the clock)', () => {
  // 2026-03-31T16:30Z is already 2026-04-01 in Beijing.
  const now = new Date('2026-03-31T16:30:00Z');
  test('an unfinished item past its deadline (a Beijing day) is overdue; done stays done; no deadline never lapses', () => {
    expect(statusOn({ status: 'in_progress', deadline: '2026-03-31' }, now)).toBe('overdue');
    expect(statusOn({ status: 'pending', deadline: '2026-04-01' }, now)).toBe('pending');
    expect(statusOn({ status: 'done', deadline: '2026-01-01' }, now)).toBe('done');
    expect(statusOn({ status: 'in_progress' }, now)).toBe('in_progress');
  });
});

describe('通报 and 约谈 of overdue items', () => {
  const at = (iso: string) => new Date(iso);
  const item = { status: 'in_progress' as const, deadline: '2026-02-20' };

  test('days count from the end of the deadline day (Beijing)', () => {
    expect(daysOverdue(item, at('2026-02-20T15:59:59Z'))).toBe(0); // 23:59:59 on the 20th in Beijing
    expect(daysOverdue(item, at('2026-02-20T16:00:00Z'))).toBe(1);
    expect(daysOverdue({ deadline: undefined }, at('2026-12-01T00:00:00Z'))).toBe(0);
  });

  test('a notice after 7 days, an interview after 30, each once, none once done', () => {
    expect(dueSteps(item, at('2026-02-26T04:00:00Z'))).toEqual([]);
    expect(dueSteps(item, at('2026-02-27T04:00:00Z'))).toEqual(['notice']);
    expect(dueSteps(item, at('2026-03-25T04:00:00Z'))).toEqual(['notice', 'interview_due']);
    expect(dueSteps({ ...item, escalation: { noticedAt: 'x' } }, at('2026-03-25T04:00:00Z'))).toEqual(['interview_due']);
    expect(dueSteps({ ...item, status: 'done' }, at('2026-03-25T04:00:00Z'))).toEqual([]);
    expect(dueSteps(item, at('2026-02-22T04:00:00Z'), { noticeAfterDays: 1, interviewAfterDays: 2 })).toEqual([
      'notice',
      'interview_due',
    ]);
  });
});
