import { divisionScope, DomainError, parseInput } from '@firegov/contracts';
import { DEFAULT_DRILL_RULES, overdueDrill } from '../../src/domain/drills.ts';
import { isoDateField, periodField } from '../../src/domain/outreach-fields.ts';
import { scoreAnswers, surveyResults } from '../../src/domain/surveys.ts';
import { needsVisit, visitCoverage } from '../../src/domain/visits.ts';
import { confirmActivity, rankVolunteers, type Volunteer } from '../../src/domain/volunteers.ts';

const V1 = '500230213201';

test('a village code scopes a record to its county, township and village', () => {
  expect(divisionScope(V1)).toEqual(['500230000000', '500230213000', V1]);
});

test('dates must be calendar dates and periods must not end before they start', () => {
  expect(isoDateField.safeParse('2026-02-29').success).toBe(false);
  expect(isoDateField.safeParse('2028-02-29').success).toBe(true);
  expect(() => parseInput(periodField, { from: '2026-03-01', to: '2026-02-01' })).toThrow(DomainError);
});

test('coverage counts households per village and per grid, vulnerable ones apart', () => {
  const households = [
    { _id: 'a', villageCode: V1, gridCode: 'G1', vulnerabilities: ['elderly_alone'] },
    { _id: 'b', villageCode: V1, gridCode: 'G1', vulnerabilities: [] },
    { _id: 'c', villageCode: V1, vulnerabilities: ['disabled'] },
  ];
  const { byVillage, byGrid } = visitCoverage(households, new Set(['a', 'b']));
  expect(byVillage).toEqual([
    { villageCode: V1, gridCode: null, households: 3, visited: 2, vulnerable: 2, vulnerableVisited: 1, share: 2 / 3 },
  ]);
  expect(byGrid.map((r) => [r.gridCode, r.households, r.visited])).toEqual([
    ['', 1, 0],
    ['G1', 2, 2],
  ]);
});

test('a vulnerable household needs a visit when its last one is older than N days', () => {
  const h = { _id: 'a', villageCode: V1, scope: [], memberCount: 1, vulnerabilities: ['elderly_alone'], demo: false };
  expect(needsVisit(h, '2026-03-01', 30)).toBe(true);
  expect(needsVisit({ ...h, lastVisitOn: '2026-02-10' }, '2026-03-01', 30)).toBe(false);
  expect(needsVisit({ ...h, vulnerabilities: [] }, '2026-03-01', 30)).toBe(false);
});

test('answers score against the full points of the questionnaire; unknown options are named', () => {
  const survey = {
    passScore: 60,
    questions: [
      {
        id: 'q1',
        text: '?',
        options: [
          { id: 'a', text: 'a', points: 10 },
          { id: 'b', text: 'b', points: 0 },
        ],
      },
      {
        id: 'q2',
        text: '?',
        options: [
          { id: 'a', text: 'a', points: 30 },
          { id: 'b', text: 'b', points: 15 },
        ],
      },
    ],
  };
  expect(
    scoreAnswers(survey, [
      { questionId: 'q1', optionId: 'a' },
      { questionId: 'q2', optionId: 'b' },
    ]),
  ).toMatchObject({ score: 62.5, passed: true });
  expect(scoreAnswers(survey, [{ questionId: 'q2', optionId: 'a' }])).toMatchObject({ score: 75 });
  expect(() => scoreAnswers(survey, [{ questionId: 'q3', optionId: 'a' }])).toThrow('the answers do not fit the questionnaire');
  expect(
    surveyResults([
      { villageCode: V1, score: 80, passed: true },
      { villageCode: V1, score: 40, passed: false },
    ]),
  ).toEqual([{ villageCode: V1, respondents: 2, meanScore: 60, passShare: 0.5 }]);
});

test('drill frequency: key units every 6 months, schools and other units every year, never drilled = overdue', () => {
  const unit = { _id: 'u', name: 'u', category: 'hotel', villageCode: V1, keyUnit: true };
  expect(overdueDrill(unit, '2025-10-01', '2026-03-01', DEFAULT_DRILL_RULES)).toBeNull();
  expect(overdueDrill(unit, '2025-08-01', '2026-03-01', DEFAULT_DRILL_RULES)).toMatchObject({ overdueByDays: 212 - 183 });
  expect(overdueDrill({ ...unit, keyUnit: false }, '2025-08-01', '2026-03-01', DEFAULT_DRILL_RULES)).toBeNull();
  expect(
    overdueDrill({ ...unit, keyUnit: false, category: 'school' }, null, '2026-03-01', DEFAULT_DRILL_RULES)?.rule.appliesTo,
  ).toBe('school');
});

describe('volunteers', () => {
  const volunteer = (): Volunteer => ({
    _id: 'vol_1',
    version: 1,
    name: '王',
    phone: '13700001111',
    villageCode: V1,
    scope: [],
    registeredBy: 'registrar',
    registeredAt: '2026-01-01T00:00:00Z',
    activities: [{ id: 'a1', kind: 'publicity', date: '2026-02-01', hoursClaimed: 4, status: 'claimed', recordedBy: 'grid' }],
    recognitions: [{ title: '先进', date: '2026-02-02', by: 'county' }],
  });

  test('hours are confirmed by someone else, at most as claimed', () => {
    const v = volunteer();
    expect(() => confirmActivity(v, { volunteerId: 'vol_1', activityId: 'a1', reject: false }, 'grid', new Date())).toThrow(
      DomainError,
    );
    expect(() =>
      confirmActivity(v, { volunteerId: 'vol_1', activityId: 'a1', hours: 5, reject: false }, 'officer', new Date()),
    ).toThrow('cannot confirm more hours than claimed');
    expect(
      confirmActivity(v, { volunteerId: 'vol_1', activityId: 'a1', hours: 3, reject: false }, 'officer', new Date()),
    ).toMatchObject({
      status: 'confirmed',
      confirmedHours: 3,
    });
  });

  test('the ranking score is the sum of its factors and ignores unconfirmed hours', () => {
    const v = volunteer();
    expect(rankVolunteers([v], { from: '2026-01-01', to: '2026-12-31' })).toEqual([
      expect.objectContaining({
        score: 10,
        factors: expect.arrayContaining([expect.objectContaining({ code: 'confirmed_hours', points: 0 })]),
      }),
    ]);
    v.activities[0] = { ...v.activities[0]!, status: 'confirmed', confirmedHours: 4 };
    const [row] = rankVolunteers([v], { from: '2026-01-01', to: '2026-12-31' });
    expect(row!.score).toBe(4 + 2 + 10);
    expect(row!.factors.reduce((n, f) => n + f.points, 0)).toBe(row!.score);
  });
});
