import { nextSignals } from '../../src/domain/signals.ts';

describe('nextSignals', () => {
  test('counts move by deltas and never below zero', () => {
    expect(nextSignals({ openMajorHazards: 1 }, { unitId: 'u', deltas: { openMajorHazards: -2, overdueHazards: 1 } })).toEqual({
      openMajorHazards: 0,
      overdueHazards: 1,
    });
  });

  test('an older assessment delivered late does not replace a newer one; a newer or same-day one does', () => {
    const current = { latestAssessment: { grade: 'B' as const, date: '2026-06-01' } };
    expect(
      nextSignals(current, { unitId: 'u', set: { latestAssessment: { grade: 'D', date: '2026-05-01' } } }).latestAssessment,
    ).toEqual({
      grade: 'B',
      date: '2026-06-01',
    });
    expect(
      nextSignals(current, { unitId: 'u', set: { latestAssessment: { grade: 'C', date: '2026-06-01' } } }).latestAssessment
        ?.grade,
    ).toBe('C');
    expect(
      nextSignals(current, { unitId: 'u', set: { latestAssessment: { grade: 'A', date: '2026-07-01' } } }).latestAssessment
        ?.grade,
    ).toBe('A');
  });
});
