import { CREDIT_POINTS, CreditEventKind, creditLevel, creditScore } from '../../src/domain/credit.ts';
import type { CreditEvent, CreditScore } from '../../src/domain/credit.ts';
import { DomainError } from '@firegov/contracts';

const NOW = new Date('2024-06-01T00:00:00Z');
const DAY = 86_400_000;

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

function events(kind: CreditEvent['kind'], count: number, at = daysAgo(10)): CreditEvent[] {
  return Array.from({ length: count }, (_, i) => ({ kind, at, ref: `${kind}-${i}` }));
}

function pointsSum(result: CreditScore): number {
  return result.factors.reduce((sum, f) => sum + f.points, 0);
}

describe('points and levels', () => {
  test('deductions are data', () => {
    expect(CREDIT_POINTS).toEqual({
      late_submission: -2,
      rejected_submission: -1,
      audit_mismatch: -10,
      audit_match: 1,
      complaint_upheld: -5,
      complaint_dismissed: 0,
    });
    expect(CreditEventKind.label('late_submission')).toBe('迟报');
  });

  test.each([
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [75, 'B'],
    [74, 'C'],
    [60, 'C'],
    [59, 'D'],
  ])('%s is level %s', (score, level) => {
    expect(creditLevel(score)).toBe(level);
  });
});

describe('creditScore', () => {
  test('no events: 100, level A, no factors', () => {
    expect(creditScore([], NOW)).toEqual({
      score: 100,
      level: 'A',
      factors: [],
      suspendRecommended: false,
      windowStart: '2023-06-02T00:00:00.000Z',
    });
  });

  test('explains the score by factor, points summing to score - 100', () => {
    const result = creditScore(
      [
        ...events('late_submission', 3),
        ...events('rejected_submission', 2),
        ...events('audit_mismatch', 1),
        ...events('complaint_upheld', 1),
        ...events('complaint_dismissed', 2),
        ...events('audit_match', 4),
      ],
      NOW,
    );
    expect(result.score).toBe(100 - 6 - 2 - 10 - 5 + 4);
    expect(result.level).toBe('B');
    expect(result.factors).toEqual([
      { kind: 'late_submission', count: 3, points: -6, label: '迟报' },
      { kind: 'rejected_submission', count: 2, points: -2, label: '提交数据不合格被退回' },
      { kind: 'audit_mismatch', count: 1, points: -10, label: '抽查结论不符' },
      { kind: 'audit_match', count: 4, points: 4, label: '抽查结论相符' },
      { kind: 'complaint_upheld', count: 1, points: -5, label: '投诉属实' },
      { kind: 'complaint_dismissed', count: 2, points: 0, label: '投诉不属实' },
    ]);
    expect(pointsSum(result)).toBe(result.score - 100);
  });

  test('audit matches never lift the score above 100; the cap is a factor', () => {
    const result = creditScore([...events('audit_match', 5), ...events('late_submission', 1)], NOW);
    expect(result.score).toBe(100);
    expect(result.factors.at(-1)).toEqual({ kind: 'cap', count: 1, points: -3, label: '加分后超过100分，按100分封顶' });
    expect(pointsSum(result)).toBe(0);
  });

  test('the score stops at 0; the floor is a factor; below 60 suspension is recommended', () => {
    const result = creditScore(events('audit_mismatch', 12), NOW);
    expect(result.score).toBe(0);
    expect(result.level).toBe('D');
    expect(result.suspendRecommended).toBe(true);
    expect(result.factors.at(-1)).toMatchObject({ kind: 'floor', points: 20 });
    expect(pointsSum(result)).toBe(-100);
  });

  test('suspension is recommended below 60, not at 60', () => {
    expect(creditScore(events('audit_mismatch', 4), NOW)).toMatchObject({ score: 60, suspendRecommended: false, level: 'C' });
    expect(creditScore([...events('audit_mismatch', 4), ...events('rejected_submission', 1)], NOW)).toMatchObject({
      score: 59,
      suspendRecommended: true,
    });
  });

  test('only the rolling year counts, and nothing after now', () => {
    const result = creditScore(
      [
        { kind: 'audit_mismatch', at: daysAgo(365) }, // exactly at the window start: counts
        { kind: 'audit_mismatch', at: new Date(NOW.getTime() - 365 * DAY - 1).toISOString() }, // just before: expired
        { kind: 'late_submission', at: NOW.toISOString() }, // at now: counts
        { kind: 'late_submission', at: new Date(NOW.getTime() + 1).toISOString() }, // after now: not yet
      ],
      NOW,
    );
    expect(result.score).toBe(88);
    expect(result.factors.map((f) => [f.kind, f.count])).toEqual([
      ['late_submission', 1],
      ['audit_mismatch', 1],
    ]);
  });

  test('the same (kind, ref) counts once; without ref every event counts', () => {
    const retried: CreditEvent[] = [
      { kind: 'rejected_submission', at: daysAgo(3), ref: 'idem-1' },
      { kind: 'rejected_submission', at: daysAgo(2), ref: 'idem-1' },
      { kind: 'rejected_submission', at: daysAgo(1), ref: 'idem-2' },
      { kind: 'late_submission', at: daysAgo(1), ref: 'idem-1' }, // another kind with the same ref is another event
      { kind: 'complaint_upheld', at: daysAgo(1) },
      { kind: 'complaint_upheld', at: daysAgo(1) },
    ];
    const result = creditScore(retried, NOW);
    expect(result.factors.map((f) => [f.kind, f.count])).toEqual([
      ['late_submission', 1],
      ['rejected_submission', 2],
      ['complaint_upheld', 2],
    ]);
    expect(result.score).toBe(100 - 2 - 2 - 10);
  });

  test('a replayed event expires with its first occurrence', () => {
    const replayed: CreditEvent[] = [
      { kind: 'audit_mismatch', at: daysAgo(400), ref: 'as_1' },
      { kind: 'audit_mismatch', at: daysAgo(10), ref: 'as_1' },
    ];
    expect(creditScore(replayed, NOW).score).toBe(100);
    // Whatever order the store returns them in.
    expect(creditScore([...replayed].reverse(), NOW).score).toBe(100);
  });

  test('refuses malformed events, naming each', () => {
    let error: unknown;
    try {
      creditScore(
        [
          { kind: 'late_submission', at: 'yesterday' },
          { kind: 'bribe' as CreditEvent['kind'], at: daysAgo(1) },
        ],
        NOW,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details.map((d) => d.path)).toEqual(['$[0].at', '$[1].kind']);
  });
});
