import { readinessPolicySchema, trainingReadiness } from '../../src/domain/readiness.ts';

describe('trainingReadiness', () => {
  const sessions = [
    { date: '2025-03-01', hours: 8 },
    { date: '2025-12-01', hours: 4 },
    { date: '2026-02-28', hours: 2.5 },
  ];

  test('counts the hours of the last 365 days and, with no target set, reports no gap', () => {
    expect(trainingReadiness(sessions, '2026-03-01', { minTrainingHoursPerYear: 0 })).toEqual({
      trainingHours: 6.5,
      trainingTargetHours: 0,
      trainingGap: null,
    });
  });

  test('a county target turns too few hours into a gap', () => {
    expect(trainingReadiness(sessions, '2026-03-01', { minTrainingHoursPerYear: 32 }).trainingGap).toBe(
      '队伍训练不足：近一年 6.5 小时，应不少于 32 小时',
    );
  });

  test('the team-size target cannot go below 20', () => {
    expect(readinessPolicySchema.safeParse({ requiredMembers: 15, minTrainingHoursPerYear: 0 }).success).toBe(false);
    expect(readinessPolicySchema.safeParse({ requiredMembers: 30, minTrainingHoursPerYear: 32 }).success).toBe(true);
  });
});
