import { DomainError } from '@firegov/contracts';
import { appendixA } from '../../src/domain/gb35181-appendix-a.ts';
import {
  determineGrade,
  editionOn,
  EDITIONS,
  GB35181_2017,
  GB35181_2025,
  premisesClassesOf,
  type DeterminationInput,
} from '../../src/domain/gb35181.ts';

// GB 35181 by edition, table-driven: the worked cases of the fact sheet
// (../shared/standards/GB35181-2025.md §7, T1–T12), each with the clause that decides it, and the
// same findings decided differently by edition. 2017 cases cite clauses the sheet confirms; every
// 2025 outcome is provisional until the 2025 text is keyed in.

const BEFORE = '2025-10-31T15:59:59.000Z'; // 23:59:59 on 31 October, Beijing
const FROM = '2025-10-31T16:00:00.000Z'; // 00:00 on 1 November, Beijing

describe('which edition', () => {
  test('the 2025 edition from 1 November 2025 (Beijing), the 2017 one before', () => {
    expect(editionOn(BEFORE)).toBe('2017');
    expect(editionOn(FROM)).toBe('2025');
    expect(editionOn('2018-07-01T00:00:00+08:00')).toBe('2017');
  });

  test('the 2017 table is complete: ten direct factors (6.1–6.10), the comprehensive factors, four counting rules', () => {
    expect(GB35181_2017.factors.filter((f) => f.kind === 'direct').map((f) => f.clause)).toEqual(
      Array.from({ length: 10 }, (_, i) => `6.${i + 1}`),
    );
    expect(GB35181_2017.factors.filter((f) => f.kind === 'comprehensive').every((f) => /^7\.\d+(\.\d+)?$/.test(f.clause!))).toBe(
      true,
    );
    expect(GB35181_2017.countingRules.map((r) => [r.id, r.threshold])).toEqual([
      ['5.3-a', 3],
      ['5.3-b', 3],
      ['5.3-c', 4],
      ['5.3-d', 6],
    ]);
  });

  test('the 2025 table knows the new classes, not 重要场所, and nothing in it is marked confirmed', () => {
    expect(GB35181_2025.premisesClasses).toEqual(
      expect.arrayContaining(['children_elderly_medical', 'labour_intensive', 'mixed_use', 'public_venue', 'dangerous_goods']),
    );
    expect(GB35181_2025.premisesClasses).not.toContain('important');
    expect(GB35181_2025.verified).toBe(false);
    expect(GB35181_2025.factors.every((f) => f.verified === false)).toBe(true);
    expect(GB35181_2025.countingRules.every((r) => !r.verified)).toBe(true);
    expect(GB35181_2025.factors.filter((f) => f.code.startsWith('K-')).map((f) => f.code)).toEqual(['K-1', 'K-2', 'K-3', 'K-4']);
  });
});

type Case = [
  name: string,
  input: DeterminationInput,
  expected: { grade: 'general' | 'major'; basis: string; clauses: string[]; provisional: boolean; ignored?: string[] },
];

const cases: Case[] = [
  [
    'T1 no finding (2025)',
    { at: FROM, premisesClasses: ['other'], factorCodes: [] },
    { grade: 'general', basis: 'below_threshold', clauses: ['第6章（条号未确认）'], provisional: true },
  ],
  [
    'T2 entertainment venue, exits 75 % of the required width (6.5)',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['D-5'] },
    { grade: 'major', basis: 'direct', clauses: ['6.5'], provisional: false },
  ],
  [
    'T3 exits at 80 %, so 6.5 not met: one comprehensive factor',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['C-3.3'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 a)', '5.3 c)'], provisional: true },
  ],
  [
    'T4 dangerous-goods warehouse 72 % of the spacing to a dormitory (6.2)',
    { at: BEFORE, premisesClasses: ['dangerous_goods'], factorCodes: ['D-2'] },
    { grade: 'major', basis: 'direct', clauses: ['6.2'], provisional: false },
  ],
  [
    'T5 78 % of the spacing: only 7.1.2, one factor',
    { at: BEFORE, premisesClasses: ['dangerous_goods'], factorCodes: ['C-1.2'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 b)', '5.3 c)'], provisional: true },
  ],
  [
    'T6 people-dense mall: 7.3.5, 7.3.6, 7.2.2',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['C-3.5', 'C-3.6', 'C-2.2'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 a)', '5.3 c)'], provisional: true },
  ],
  [
    'T7 + smoke control (7.5): rules a and c both met, both reported',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['C-3.5', 'C-3.6', 'C-2.2', 'C-5.1'] },
    {
      grade: 'major',
      basis: 'comprehensive',
      clauses: ['5.3 a)', '5.3 c)', '7.3.5', '7.3.6', '7.5', '7.2.2'],
      provisional: true,
    },
  ],
  [
    'T8 office building with 5 factors',
    { at: BEFORE, premisesClasses: ['other'], factorCodes: ['C-1.1', 'C-2.1', 'C-4.3', 'C-6.1', 'C-8.3'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 d)'], provisional: true },
  ],
  [
    'T8 office building with 6 factors',
    { at: BEFORE, premisesClasses: ['other'], factorCodes: ['C-1.1', 'C-2.1', 'C-4.3', 'C-6.1', 'C-8.3', 'C-7.2'] },
    {
      grade: 'major',
      basis: 'comprehensive',
      clauses: ['5.3 d)', '7.1.1', '7.2.1', '7.4.3', '7.6.1', '7.9.3', '7.7.2'],
      provisional: true,
    },
  ],
  [
    'T9 class A plant in a basement, unit stopped operating (5.1.3 b) beats 6.4)',
    { at: BEFORE, premisesClasses: ['other'], factorCodes: ['D-4'], exclusions: ['stopped_operating'] },
    { grade: 'general', basis: 'excluded', clauses: ['5.1.3 b)'], provisional: false },
  ],
  [
    'T10 hotel, exit locked but unlocked during the visit (5.1.2)',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['C-3.3'], correctedOnSite: ['C-3.3'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 a)', '5.3 c)'], provisional: true, ignored: ['C-3.3'] },
  ],
  [
    'T11 stilt-floor e-bike charging open to the stair, 2025 (K-4)',
    { at: FROM, premisesClasses: ['residential'], factorCodes: ['K-4'] },
    { grade: 'major', basis: 'direct', clauses: ['第5章（条号未确认）'], provisional: true },
  ],
  [
    'T11 the same under 2017: not a factor of that edition',
    { at: BEFORE, premisesClasses: ['other'], factorCodes: ['K-4'] },
    { grade: 'general', basis: 'below_threshold', clauses: ['5.3 d)'], provisional: true, ignored: ['K-4'] },
  ],
  [
    'T12 exits at 75 %, the day before 2025',
    { at: BEFORE, premisesClasses: ['crowded'], factorCodes: ['D-5'] },
    { grade: 'major', basis: 'direct', clauses: ['6.5'], provisional: false },
  ],
  [
    'T12 exits at 75 %, the first day of 2025',
    { at: FROM, premisesClasses: ['crowded', 'public_venue'], factorCodes: ['D-5'] },
    { grade: 'major', basis: 'direct', clauses: ['第5章（条号未确认）'], provisional: true },
  ],
];

describe.each(cases)('%s', (_name, input, expected) => {
  test('grade, basis, deciding clauses, provisional and findings not counted', () => {
    const d = determineGrade(input);
    expect(d).toMatchObject({ grade: expected.grade, basis: expected.basis, provisional: expected.provisional });
    expect(d.clauses).toEqual(expected.clauses);
    expect((d.ignored ?? []).map((i) => i.code)).toEqual(expected.ignored ?? []);
    expect(d.edition).toBe(editionOn(input.at!));
    expect(d.explanation).toContain(EDITIONS[d.edition!].title);
  });
});

describe('the same findings, decided by edition', () => {
  // A garment factory of a labour-intensive enterprise: staff dormitory in the plant (三合一), exit
  // sealed, emergency lighting broken, smoke control not working.
  const findings = ['C-1.3', 'C-3.3', 'C-3.6', 'C-5.1'];

  test('2017: a factory is among "other premises", which needs six comprehensive factors — not major', () => {
    const d = determineGrade({ at: BEFORE, premisesClasses: premisesClassesOf('factory', '2017'), factorCodes: findings });
    expect(d).toMatchObject({
      edition: '2017',
      grade: 'general',
      basis: 'below_threshold',
      rule: { id: '5.3-d', count: 4, threshold: 6 },
    });
  });

  test('2025: a labour-intensive enterprise’s plant is people-dense — four factors are major, provisionally', () => {
    const d = determineGrade({ at: FROM, premisesClasses: ['labour_intensive', 'crowded'], factorCodes: findings });
    expect(d).toMatchObject({ edition: '2025', grade: 'major', basis: 'comprehensive', provisional: true });
    expect(d.clauses).toContain('第6章（条号未确认）');
    expect(d.explanation).toMatch(/暂定/);
  });

  test('2025 direct factors hold for their premises group only', () => {
    const mixed = determineGrade({ at: FROM, premisesClasses: ['mixed_use', 'crowded'], factorCodes: ['K-2'] });
    expect(mixed).toMatchObject({ grade: 'major', basis: 'direct' });
    const office = determineGrade({ at: FROM, premisesClasses: ['other'], factorCodes: ['K-2'] });
    expect(office).toMatchObject({
      grade: 'general',
      ignored: [{ code: 'K-2', reason: expect.stringContaining('多业态混合生产经营场所') }],
    });
  });

  test('重要场所 is no class of the 2025 edition: asking for it names the field', () => {
    expect(() => determineGrade({ at: FROM, premisesClass: 'important', factorCodes: [] })).toThrow(DomainError);
    try {
      determineGrade({ at: FROM, premisesClasses: ['crowded', 'important'], factorCodes: ['X-1'] });
    } catch (err) {
      expect((err as DomainError).details.map((d) => d.path)).toEqual(['$.premisesClasses[1]', '$.factorCodes[0]']);
    }
  });
});

describe('premises classes of unit categories', () => {
  test.each([
    ['hotel', ['crowded'], ['crowded', 'public_venue']],
    ['kindergarten', ['crowded'], ['crowded', 'children_elderly_medical']],
    ['three_in_one', ['crowded'], ['crowded', 'mixed_use']],
    ['high_rise', ['important'], ['other']],
    ['factory', ['other'], ['other']],
    ['petrochemical', ['dangerous_goods'], ['dangerous_goods']],
    ['rural_self_built_house', ['other'], ['residential']],
  ])('%s: 2017 %j, 2025 %j', (category, c2017, c2025) => {
    expect(premisesClassesOf(category, '2017')).toEqual(c2017);
    expect(premisesClassesOf(category, '2025')).toEqual(c2025);
  });
});

describe('Appendix A: a system not operating normally', () => {
  test('a controller that is off or faulty, or a pump that cannot start, points to the factor, provisionally', () => {
    expect(appendixA({ system: 'fire_alarm', controllerDown: true })).toMatchObject({
      code: 'C-7.2',
      notOperating: true,
      provisional: true,
    });
    expect(appendixA({ system: 'fixed_extinguishing', supplyDown: true })).toMatchObject({ code: 'C-4.6', notOperating: true });
  });

  test('a share of shielded or faulty points is reported, not judged, while the appendix’s threshold is unknown', () => {
    const r = appendixA({ system: 'fire_alarm', pointsTotal: 200, pointsDown: 30 });
    expect(r.notOperating).toBeNull();
    expect(r.reasons.join()).toMatch(/15%.*附录A/);
    expect(appendixA({ system: 'fire_alarm', pointsTotal: 200, pointsDown: 0 }).notOperating).toBe(false);
  });
});
