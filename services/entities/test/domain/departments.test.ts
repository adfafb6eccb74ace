import { registerDepartmentSchema, statusOn } from '../../src/domain/departments.ts';
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
