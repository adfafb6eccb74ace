import { gradeFor, gradeRisk } from '../../src/domain/risk.ts';
import type { RiskUnit } from '../../src/domain/risk.ts';

const NOW = new Date('2023-06-01T04:00:00Z'); // 12:00 in Beijing

const shop: RiskUnit = {
  category: 'supermarket',
  buildingUse: 'public',
  floors: 2,
  heightM: 8,
  occupancy: 60,
  undergroundFloors: 0,
  keyUnit: false,
  insurance: { validUntil: '2023-12-31' },
  publicCommitment: { status: 'posted' },
};

const sum = (factors: ReadonlyArray<{ points: number }>) => factors.reduce((total, f) => total + f.points, 0);

describe('gradeFor', () => {
  test.each([
    [0, 'low'],
    [24, 'low'],
    [25, 'general'],
    [49, 'general'],
    [50, 'significant'],
    [74, 'significant'],
    [75, 'major'],
    [100, 'major'],
  ] as const)('%i -> %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});

describe('gradeRisk', () => {
  test('a compliant small shop is low risk, explained by its category and occupancy', () => {
    const risk = gradeRisk(shop, {}, NOW);
    expect(risk.factors.map((f) => f.code)).toEqual(['category', 'occupancy']);
    expect(risk).toMatchObject({ score: 10, grade: 'low' });
    expect(risk.factors[0]).toEqual({ code: 'category', label: '单位类别', points: 5, detail: '商超：规模小、火灾荷载较低' });
  });

  test('the factors explain the score exactly', () => {
    const unit: RiskUnit = {
      category: 'business_self_built_house',
      buildingUse: 'mixed',
      floors: 9,
      heightM: 28,
      occupancy: 250,
      undergroundFloors: 2,
      keyUnit: true,
      publicCommitment: { status: 'signed' },
    };
    const risk = gradeRisk(unit, { openGeneralHazards: 2, trainingCoverage: 0.3 }, NOW);
    expect(risk.factors.map((f) => [f.code, f.points])).toEqual([
      ['category', 15],
      ['high_rise', 10],
      ['occupancy', 10],
      ['underground', 8],
      ['key_unit', 5],
      ['no_insurance', 5],
      ['commitment_not_posted', 2],
      ['self_built_target', 10],
      ['open_general_hazards', 6],
      ['training_coverage', 10],
    ]);
    expect(risk.score).toBe(81);
    expect(sum(risk.factors)).toBe(risk.score);
    expect(risk.grade).toBe('major');
    for (const factor of risk.factors) {
      expect(factor.label).toMatch(/\p{Script=Han}/u);
      expect(factor.detail).not.toBe('');
    }
  });

  test('the score is clamped to 0..100 while the factors keep the full sum', () => {
    const worst = gradeRisk(
      { ...shop, category: 'fireworks', occupancy: 2000, undergroundFloors: 3, insurance: null, publicCommitment: null },
      { openMajorHazards: 5, overdueHazards: 9, activeAlarms: 4, latestAssessment: { grade: 'D', date: '2023-05-01' } },
      NOW,
    );
    expect(worst.score).toBe(100);
    expect(sum(worst.factors)).toBeGreaterThan(100);
    expect(worst.factors.find((f) => f.code === 'open_major_hazards')).toMatchObject({
      points: 40,
      detail: '5 项重大火灾隐患未整改，每项 20 分，封顶 40 分',
    });

    const best = gradeRisk({ ...shop, occupancy: 3 }, { latestAssessment: { grade: 'A', date: '2023-01-10' } }, NOW);
    expect(sum(best.factors)).toBe(-5);
    expect(best.score).toBe(0);
  });

  test('an open major hazard raises the grade and closing it lowers it back', () => {
    const before = gradeRisk(shop, {}, NOW);
    const open = gradeRisk(shop, { openMajorHazards: 1 }, NOW);
    const closed = gradeRisk(shop, { openMajorHazards: 0 }, NOW);
    expect(before.grade).toBe('low');
    expect(open.grade).toBe('general');
    expect(open.score).toBe(before.score + 20);
    expect(closed).toEqual(before);
  });

  test('insurance expiry depends on now, in Beijing dates', () => {
    const insured = { ...shop, insurance: { validUntil: '2023-06-01' } };
    expect(gradeRisk(insured, {}, NOW).factors.some((f) => f.code === 'no_insurance')).toBe(false);
    // 16:30 UTC on 1 June is already 2 June in Beijing.
    const expired = gradeRisk(insured, {}, new Date('2023-06-01T16:30:00Z'));
    expect(expired.factors.find((f) => f.code === 'no_insurance')).toEqual({
      code: 'no_insurance',
      label: '未投保火灾公众责任险',
      points: 5,
      detail: '火灾公众责任保险已于 2023-06-01 到期',
    });
  });

  test('assessment grades: C and D add, a recent A subtracts, a stale A does not', () => {
    const points = (grade: 'A' | 'B' | 'C' | 'D', date = '2023-03-01') =>
      sum(gradeRisk(shop, { latestAssessment: { grade, date } }, NOW).factors) - gradeRisk(shop, {}, NOW).score;
    expect(points('A')).toBe(-10);
    expect(points('B')).toBe(0);
    expect(points('C')).toBe(10);
    expect(points('D')).toBe(20);
    expect(points('A', '2022-05-01')).toBe(0);
  });

  test('signals are capped and malformed counts are ignored', () => {
    const factors = gradeRisk(
      shop,
      { openGeneralHazards: 9, overdueHazards: -2, activeAlarms: Number.NaN, trainingCoverage: 0.5 },
      NOW,
    ).factors;
    expect(factors.find((f) => f.code === 'open_general_hazards')?.points).toBe(15);
    expect(factors.map((f) => f.code)).not.toEqual(expect.arrayContaining(['overdue_hazards']));
    expect(factors.map((f) => f.code)).not.toEqual(expect.arrayContaining(['active_alarms']));
    expect(factors.map((f) => f.code)).not.toEqual(expect.arrayContaining(['training_coverage']));
  });

  test('occupancy bands', () => {
    const occupancyPoints = (occupancy: number) =>
      gradeRisk({ ...shop, occupancy }, {}, NOW).factors.find((f) => f.code === 'occupancy')?.points;
    expect(occupancyPoints(49)).toBeUndefined();
    expect(occupancyPoints(50)).toBe(5);
    expect(occupancyPoints(200)).toBe(10);
    expect(occupancyPoints(1000)).toBe(15);
  });

  test('is deterministic', () => {
    const signals = { openMajorHazards: 1, activeAlarms: 2 };
    expect(gradeRisk(shop, signals, NOW)).toEqual(gradeRisk(shop, signals, NOW));
  });
});
