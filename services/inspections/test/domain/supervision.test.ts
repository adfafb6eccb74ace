import { DomainError } from '@firegov/contracts';
import { initialEscalation } from '../../src/domain/escalation.ts';
import {
  addMonths,
  countsForSupervision,
  daysOverdue,
  DEFAULT_INTERVALS,
  escalateSchedule,
  parseIntervals,
  reschedule,
  type Schedule,
} from '../../src/domain/supervision.ts';

// 分级分类监管: intervals by grade, due dates on the China calendar, and what a grade change, an
// inspection or a county's new intervals do to a unit's next inspection.

describe('months on the China calendar', () => {
  test.each([
    ['2026-01-15T02:00:00.000Z', 1, '2026-02-15T02:00:00.000Z'],
    // 31 January in Beijing: due on the last day of February (not 3 March).
    ['2026-01-31T02:00:00.000Z', 1, '2026-02-28T02:00:00.000Z'],
    ['2028-01-31T02:00:00.000Z', 1, '2028-02-29T02:00:00.000Z'],
    // 31 March 20:00 UTC is already 1 April in Beijing: one month later is 1 May in Beijing.
    ['2026-03-31T20:00:00.000Z', 1, '2026-04-30T20:00:00.000Z'],
    ['2026-08-31T02:00:00.000Z', 6, '2027-02-28T02:00:00.000Z'],
    ['2026-05-10T02:00:00.000Z', 12, '2027-05-10T02:00:00.000Z'],
  ])('%s + %i months = %s', (from, n, to) => {
    expect(addMonths(from, n)).toBe(to);
  });
});

describe('intervals', () => {
  test('the defaults: major monthly, significant quarterly, general half-yearly, low yearly', () => {
    expect(DEFAULT_INTERVALS).toEqual({ major: 1, significant: 3, general: 6, low: 12 });
    expect(parseIntervals({ major: 1, significant: 2, general: 2, low: 24 })).toEqual({
      major: 1,
      significant: 2,
      general: 2,
      low: 24,
    });
  });

  test('each field is named with its reason: whole months 1–24, a lower grade never more often', () => {
    const refused = (raw: unknown) => {
      try {
        parseIntervals(raw);
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        return (err as DomainError).details.map((d) => `${d.path}: ${d.reason}`);
      }
      throw new Error('accepted');
    };
    expect(refused({ major: 0, significant: 3.5, general: 6, low: 25 })).toEqual([
      '$.major: must be at least 1 month',
      '$.significant: must be a whole number of months',
      '$.low: must be at most 24 months',
    ]);
    expect(refused({ major: 3, significant: 1, general: 6, low: 12 })).toEqual([
      "$.significant: is 1 months, shorter than major's 3: a lower grade is not inspected more often",
    ]);
    expect(refused({ major: 1, significant: 3, general: 6 }).join()).toMatch(/\$\.low/);
    expect(refused({ major: 1, significant: 3, general: 6, low: 12, extra: 1 }).join()).toMatch(/extra/);
  });
});

describe('the next inspection', () => {
  const known = '2026-01-10T02:00:00.000Z';
  const first = (grade: 'major' | 'low', lastInspectedAt?: string) =>
    reschedule(undefined, { grade, intervals: DEFAULT_INTERVALS, knownSince: known, lastInspectedAt }, 'registered', known);

  test('a new unit is due one interval after it became known, or after its last inspection', () => {
    expect(first('major').dueAt).toBe('2026-02-10T02:00:00.000Z');
    expect(first('low').dueAt).toBe('2027-01-10T02:00:00.000Z');
    expect(first('low', '2025-12-01T02:00:00.000Z')).toMatchObject({
      dueAt: '2026-12-01T02:00:00.000Z',
      lastInspectedAt: '2025-12-01T02:00:00.000Z',
      intervalMonths: 12,
    });
  });

  test('an inspection starts a fresh interval and a fresh ladder', () => {
    const overdue: Schedule = { ...first('major'), escalation: { ...initialEscalation(), level: 'township_supervision' } };
    const next = reschedule(
      overdue,
      { grade: 'major', intervals: DEFAULT_INTERVALS, knownSince: known, lastInspectedAt: '2026-03-05T02:00:00.000Z' },
      'inspected',
      '2026-03-05T02:00:00.000Z',
    );
    expect(next.dueAt).toBe('2026-04-05T02:00:00.000Z');
    expect(next.escalation.level).toBe('none');
  });

  test('a higher grade whose interval already ran out makes the unit due at the change, not overdue since before it', () => {
    const low = first('low');
    const at = '2026-05-01T02:00:00.000Z';
    const next = reschedule(low, { grade: 'major', intervals: DEFAULT_INTERVALS, knownSince: known }, 'regraded', at);
    expect(next).toMatchObject({ grade: 'major', intervalMonths: 1, dueAt: at });
    expect(daysOverdue(next.dueAt, new Date(at))).toBe(0);
  });

  test('a higher grade with time left moves the due date nearer', () => {
    const next = reschedule(
      first('low'),
      { grade: 'major', intervals: DEFAULT_INTERVALS, knownSince: known },
      'regraded',
      '2026-01-20T02:00:00.000Z',
    );
    expect(next.dueAt).toBe('2026-02-10T02:00:00.000Z');
  });

  test('a unit already overdue stays overdue from when it was, with its listings; a lower grade can relieve it', () => {
    const major = { ...first('major'), escalation: { ...initialEscalation(), level: 'overdue' as const } };
    const at = '2026-04-01T02:00:00.000Z';
    // Significant: 10 Jan + 3 months = 10 Apr, after now: no longer overdue, the ladder starts again.
    const relieved = reschedule(major, { grade: 'significant', intervals: DEFAULT_INTERVALS, knownSince: known }, 'regraded', at);
    expect(relieved.dueAt).toBe('2026-04-10T02:00:00.000Z');
    expect(relieved.escalation.level).toBe('none');
    // A county that shortens every interval cannot make it overdue from before it was due.
    const shorter = { ...DEFAULT_INTERVALS, significant: 1 };
    const wasSignificant: Schedule = { ...major, grade: 'significant', dueAt: '2026-03-20T02:00:00.000Z' };
    const still = reschedule(
      wasSignificant,
      { grade: 'significant', intervals: shorter, knownSince: known },
      'intervals_changed',
      at,
    );
    expect(still.dueAt).toBe('2026-03-20T02:00:00.000Z');
    expect(still.escalation.level).toBe('overdue');
  });

  test('self-checks do not count for supervision; inspections by others do', () => {
    expect(countsForSupervision('self_check')).toBe(false);
    expect(
      ['village_screening', 'department_verification', 'unannounced_visit', 'joint_inspection'].every(countsForSupervision),
    ).toBe(true);
  });

  test('an overdue inspection climbs the hazards’ ladder from its due date', () => {
    const s = first('major');
    expect(escalateSchedule(s, new Date('2026-02-09T02:00:00.000Z')).actions).toEqual([]);
    const overdue = escalateSchedule(s, new Date('2026-02-11T02:00:00.000Z'));
    expect(overdue.actions.map((a) => a.kind)).toEqual(['mark_overdue']);
    const listed = escalateSchedule({ ...s, escalation: overdue.escalation }, new Date('2026-02-18T03:00:00.000Z'));
    expect(listed.escalation.level).toBe('township_supervision');
    expect(daysOverdue(s.dueAt, new Date('2026-02-18T03:00:00.000Z'))).toBe(8);
  });
});
