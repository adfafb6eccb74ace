import { dutyScore, hazardPlacement, tallyLists, trainingPlacement } from '../../src/domain/duty-score.ts';

const none = { due: 0, done: 0, notices: 0, interviews: 0 };

describe('tallyLists (the year’s list items)', () => {
  // 2026-03-01 in Beijing.
  const now = new Date('2026-03-01T02:00:00Z');
  test('counts items due this year by today, and items done early; 通报 and 约谈 of the year’s items', () => {
    expect(
      tallyLists(
        [
          { deadline: '2026-02-01', status: 'done' },
          { deadline: '2026-02-10', status: 'overdue', escalation: { noticedAt: 'x' } },
          { deadline: '2026-12-31', status: 'done' }, // done early: counts
          { deadline: '2026-12-31', status: 'pending' }, // not due yet: does not
          { deadline: '2025-12-01', status: 'overdue', escalation: { noticedAt: 'x', interviewDueAt: 'y' } }, // last year
          { status: 'in_progress' }, // a standing responsibility: no deadline
        ],
        2026,
        now,
      ),
    ).toEqual({ due: 3, done: 2, notices: 1, interviews: 0 });
  });
});

describe('dutyScore (年度考核)', () => {
  test('40 / 40 / 20 by share, less 2 per 通报; every factor explains itself', () => {
    const s = dutyScore({
      lists: { due: 2, done: 1, notices: 1, interviews: 0 },
      hazards: { found: 2, closed: 1, overdue: 1 },
      training: { required: 2, full: 1 },
    });
    expect(s.score).toBe(48);
    expect(s.grade).toBe('fail');
    expect(s.factors).toEqual([
      { code: 'lists', label: '清单完成', points: 20, maxPoints: 40, detail: '到期事项 2 项，完成 1 项（50%）' },
      {
        code: 'hazards',
        label: '隐患整改',
        points: 20,
        maxPoints: 40,
        detail: '本年发现隐患 2 处，整改销号 1 处，逾期未改 1 处（50%）',
      },
      { code: 'training', label: '培训覆盖', points: 10, maxPoints: 20, detail: '应训单位 2 家，全员培训合格 1 家（50%）' },
      { code: 'notices', label: '通报', points: -2, maxPoints: 0, detail: '1 次，每次扣 2 分' },
    ]);
  });

  test('a share with nothing to assess is left out and the others scaled to 100; bands 90 / 80 / 60', () => {
    const s = dutyScore({
      lists: { ...none, due: 4, done: 4 },
      hazards: { found: 0, closed: 0, overdue: 0 },
      training: { required: 0, full: 0 },
    });
    expect(s).toMatchObject({ score: 100, grade: 'excellent' });
    expect(s.factors[1]).toEqual({
      code: 'hazards',
      label: '隐患整改',
      points: 0,
      maxPoints: 0,
      detail: '本年发现隐患 0 处，整改销号 0 处，不计入',
    });
    expect(
      dutyScore({
        lists: { ...none, due: 10, done: 8 },
        hazards: { found: 0, closed: 0, overdue: 0 },
        training: { required: 0, full: 0 },
      }).grade,
    ).toBe('good');
    expect(
      dutyScore({
        lists: { ...none, due: 10, done: 6 },
        hazards: { found: 0, closed: 0, overdue: 0 },
        training: { required: 0, full: 0 },
      }).grade,
    ).toBe('pass');
  });

  test('deductions are capped (通报 10, 约谈 20) and the score never goes below 0', () => {
    const s = dutyScore({
      lists: { due: 9, done: 0, notices: 9, interviews: 9 },
      hazards: { found: 1, closed: 0, overdue: 1 },
      training: { required: 0, full: 0 },
    });
    expect(s.factors.slice(3).map((f) => f.points)).toEqual([-10, -20]);
    expect(s.score).toBe(0);
  });

  test('nothing to assess at all: no score and no grade, not full marks', () => {
    expect(
      dutyScore({ lists: none, hazards: { found: 0, closed: 0, overdue: 0 }, training: { required: 0, full: 0 } }),
    ).toMatchObject({
      score: null,
      grade: null,
    });
  });
});

describe('placements for the tallies', () => {
  const hazard = { countyCode: '500230000000', townshipCode: '500230213000', villageCode: '500230213201' };
  test('a hazard counts in the Beijing year it was found: open (and overdue) or closed; dismissed nowhere', () => {
    // 2025-12-31T17:00Z is already 2026-01-01 in Beijing.
    expect(
      hazardPlacement({ ...hazard, status: 'rectifying', escalationLevel: 'overdue', foundAt: '2025-12-31T17:00:00Z' }, 'police'),
    ).toEqual({
      codes: ['j:500230000000', 'j:500230213000', 'j:500230213201', 'd:police'],
      cells: ['2026|found', '2026|open', '2026|overdue'],
    });
    expect(
      hazardPlacement({ ...hazard, status: 'closed', escalationLevel: 'none', foundAt: '2025-06-01T00:00:00Z' }, undefined)
        ?.cells,
    ).toEqual(['2025|found', '2025|closed']);
    expect(
      hazardPlacement({ ...hazard, status: 'dismissed', escalationLevel: 'none', foundAt: '2025-06-01T00:00:00Z' }, 'police'),
    ).toBeNull();
  });

  test('an active unit with required training counts as required, and full when all are trained', () => {
    const unit = { ...hazard, status: 'active', supervisingDepartment: 'culture' };
    expect(trainingPlacement({ ...unit, signals: { trainingCoverage: 1 } })?.cells).toEqual(['required', 'full']);
    expect(trainingPlacement({ ...unit, signals: { trainingCoverage: 0.5 } })?.cells).toEqual(['required']);
    expect(trainingPlacement({ ...unit, signals: {} })).toBeNull();
    expect(trainingPlacement({ ...unit, status: 'deregistered', signals: { trainingCoverage: 1 } })).toBeNull();
  });
});
