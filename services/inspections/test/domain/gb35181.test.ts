import {
  COMPREHENSIVE_FACTORS,
  COMPREHENSIVE_RULES,
  DIRECT_FACTORS,
  determineGrade,
  factorByCode,
  premisesClassOf,
} from '../../src/domain/gb35181.ts';
import type { Determination } from '../../src/domain/gb35181.ts';
import { checkCollectiveDiscussion, expertPanelOutcome, finalGrade } from '../../src/domain/grading-procedure.ts';
import type { CollectiveDiscussion, ExpertPanel } from '../../src/domain/grading-procedure.ts';
import { DomainError } from '@firegov/contracts';

const AT = '2025-06-10T09:30:00+08:00';
const experts = (n: number) => Array.from({ length: n }, (_, i) => `专家${i + 1}`);

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('factor catalogue', () => {
  test('codes are unique, direct factors number ten, comprehensive factors fall in the standard areas', () => {
    const codes = [...DIRECT_FACTORS, ...COMPREHENSIVE_FACTORS].map((f) => f.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(DIRECT_FACTORS).toHaveLength(10);
    expect(COMPREHENSIVE_FACTORS.length).toBeGreaterThanOrEqual(25);
    expect(COMPREHENSIVE_FACTORS.length).toBeLessThanOrEqual(35);
    expect(new Set(COMPREHENSIVE_FACTORS.map((f) => f.area))).toEqual(
      new Set([
        '总平面布置',
        '防火分隔',
        '安全疏散设施及灭火救援条件',
        '消防给水及灭火设施',
        '防烟排烟设施',
        '消防供电',
        '火灾自动报警系统',
        '其他',
      ]),
    );
    for (const f of [...DIRECT_FACTORS, ...COMPREHENSIVE_FACTORS]) {
      expect(f.zh).toMatch(/\p{Script=Han}/u);
      expect(f.en.length).toBeGreaterThan(10);
    }
  });

  test('factorByCode finds a factor and returns undefined for an unknown code', () => {
    expect(factorByCode('C-3.4')).toMatchObject({ kind: 'comprehensive', area: '安全疏散设施及灭火救援条件' });
    expect(factorByCode('D-6')).toMatchObject({ kind: 'direct' });
    expect(factorByCode('C-9.9')).toBeUndefined();
  });

  test('the designated subsets of crowded and dangerous-goods premises hold at least their threshold of factors', () => {
    for (const premisesClass of ['crowded', 'dangerous_goods'] as const) {
      const rule = COMPREHENSIVE_RULES.find((r) => r.subset === 'designated' && r.appliesTo.includes(premisesClass))!;
      const subset = COMPREHENSIVE_FACTORS.filter((f) => f.countsFor?.includes(premisesClass));
      expect(subset.length).toBeGreaterThanOrEqual(rule.threshold);
    }
  });
});

describe('determineGrade', () => {
  test('an exclusion beats a direct factor', () => {
    const result = determineGrade({
      edition: '2017',
      premisesClass: 'crowded',
      factorCodes: ['D-6'],
      exclusions: ['stopped_operating'],
    });
    expect(result).toMatchObject({ grade: 'general', basis: 'excluded', matched: [{ code: 'D-6' }] });
    expect(result.rule).toBeUndefined();
    expect(result.explanation).toContain('停产停业');
  });

  test('one direct factor makes the hazard major whatever the premises class', () => {
    const result = determineGrade({ edition: '2017', premisesClass: 'other', factorCodes: ['C-1.1', 'D-4'] });
    expect(result).toMatchObject({ grade: 'major', basis: 'direct', matched: [{ code: 'D-4' }] });
    expect(result.explanation).toContain('D-4');
    expect(result.explanation).toContain('地下室');
  });

  test('crowded premises with 3 designated factors is major under the designated rule', () => {
    const result = determineGrade({ edition: '2017', premisesClass: 'crowded', factorCodes: ['C-3.3', 'C-3.9', 'C-5.1'] });
    expect(result).toMatchObject({
      grade: 'major',
      basis: 'comprehensive',
      rule: { subset: 'designated', threshold: 3, count: 3 },
    });
    expect(result.matched.map((f) => f.code)).toEqual(['C-3.3', 'C-3.9', 'C-5.1']);
    expect(result.explanation).toMatch(/人员密集场所.*3 条以上.*C-3\.3.*C-3\.9.*C-5\.1/);
  });

  test('crowded premises with 2 designated factors and nothing else is general', () => {
    const result = determineGrade({ edition: '2017', premisesClass: 'crowded', factorCodes: ['C-3.3', 'C-5.1'] });
    expect(result).toMatchObject({
      grade: 'general',
      basis: 'below_threshold',
      rule: { subset: 'designated', threshold: 3, count: 2 },
    });
    expect(result.explanation).toContain('不判定为重大火灾隐患');
  });

  test('crowded premises with 4 factors, only one of them designated, is major under the any-4 rule', () => {
    const result = determineGrade({
      edition: '2017',
      premisesClass: 'crowded',
      factorCodes: ['C-6.1', 'C-6.2', 'C-7.2', 'C-3.3'],
    });
    expect(result).toMatchObject({ grade: 'major', basis: 'comprehensive', rule: { subset: 'any', threshold: 4, count: 4 } });
  });

  test('dangerous-goods premises with 3 designated factors is major; designated factors of crowded premises do not count', () => {
    expect(
      determineGrade({ edition: '2017', premisesClass: 'dangerous_goods', factorCodes: ['C-1.1', 'C-1.2', 'C-4.5'] }),
    ).toMatchObject({
      grade: 'major',
      rule: { subset: 'designated', threshold: 3, count: 3 },
    });
    expect(
      determineGrade({ edition: '2017', premisesClass: 'dangerous_goods', factorCodes: ['C-3.3', 'C-3.9', 'C-5.1'] }),
    ).toMatchObject({
      grade: 'general',
      basis: 'below_threshold',
    });
  });

  test('important premises has no designated subset: 3 factors general, 4 major', () => {
    const four = ['C-1.1', 'C-2.1', 'C-4.2', 'C-8.3'];
    expect(determineGrade({ edition: '2017', premisesClass: 'important', factorCodes: four.slice(0, 3) }).grade).toBe('general');
    expect(determineGrade({ edition: '2017', premisesClass: 'important', factorCodes: four })).toMatchObject({
      grade: 'major',
      rule: { subset: 'any', threshold: 4, count: 4 },
    });
  });

  test('other premises: 5 comprehensive factors general, 6 major', () => {
    const six = ['C-1.1', 'C-2.1', 'C-3.3', 'C-4.2', 'C-6.1', 'C-8.3'];
    expect(determineGrade({ edition: '2017', premisesClass: 'other', factorCodes: six.slice(0, 5) })).toMatchObject({
      grade: 'general',
      basis: 'below_threshold',
      rule: { subset: 'any', threshold: 6, count: 5 },
    });
    expect(determineGrade({ edition: '2017', premisesClass: 'other', factorCodes: six })).toMatchObject({
      grade: 'major',
      basis: 'comprehensive',
      rule: { subset: 'any', threshold: 6, count: 6 },
    });
  });

  test('a factor reported twice counts once', () => {
    expect(determineGrade({ edition: '2017', premisesClass: 'crowded', factorCodes: ['C-3.3', 'C-3.3', 'C-5.1'] })).toMatchObject(
      {
        grade: 'general',
        rule: { count: 2 },
      },
    );
  });

  test('no factors at all is general', () => {
    const result = determineGrade({ edition: '2017', premisesClass: 'other', factorCodes: [] });
    expect(result).toMatchObject({ grade: 'general', basis: 'below_threshold', matched: [] });
    expect(result.explanation).toContain('未发现判定要素');
  });

  test('unknown codes are refused, every one of them listed by path', () => {
    const err = thrown(() =>
      determineGrade({ edition: '2017', premisesClass: 'crowded', factorCodes: ['C-3.3', 'X-1', 'D-6', 'C-99.1'] }),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details.map((d) => d.path)).toEqual(['$.factorCodes[1]', '$.factorCodes[3]']);
  });
});

describe('premisesClassOf', () => {
  test.each([
    ['large_commercial_complex', 'crowded'],
    ['school', 'crowded'],
    ['elderly_care', 'crowded'],
    ['three_in_one', 'crowded'],
    ['underground_works', 'crowded'],
    ['small_venue', 'crowded'],
    ['petrochemical', 'dangerous_goods'],
    ['hazardous_explosives', 'dangerous_goods'],
    ['fireworks', 'dangerous_goods'],
    ['heritage_building', 'important'],
    ['high_rise', 'important'],
    ['logistics', 'important'],
    ['factory', 'other'],
    ['rural_self_built_house', 'other'],
    ['business_self_built_house', 'other'],
    ['other', 'other'],
    ['no_such_category', 'other'],
  ])('%s → %s', (category, expected) => {
    expect(premisesClassOf(category)).toBe(expected);
  });
});

describe('judgement procedure', () => {
  const discussion = (participants: string[], conclusion: 'major' | 'general' = 'major'): CollectiveDiscussion => ({
    at: AT,
    participants,
    conclusion,
  });
  const panel = (n: number, votesMajor: number): ExpertPanel => ({ at: AT, experts: experts(n), votesMajor });
  const ruleGeneral: Determination = determineGrade({ edition: '2017', premisesClass: 'crowded', factorCodes: ['C-3.3'] });

  test('a collective discussion of three distinct people passes', () => {
    expect(() => checkCollectiveDiscussion(discussion(['张三', '李四', '王五']))).not.toThrow();
  });

  test('a collective discussion of two people is refused, naming the field', () => {
    const err = thrown(() => checkCollectiveDiscussion(discussion(['张三', '李四'])));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.participants' }] });
  });

  test('a name repeated (even with stray spaces) does not count twice', () => {
    const err = thrown(() => checkCollectiveDiscussion(discussion(['张三', '李四', ' 张三 '])));
    expect(err.details).toEqual([{ path: '$.participants', reason: expect.stringContaining('got 2') }]);
  });

  test('every bad field of a discussion is listed at once', () => {
    const err = thrown(() => checkCollectiveDiscussion({ at: '2025-06-10', participants: [], conclusion: 'maybe' as 'major' }));
    expect(err.details.map((d) => d.path)).toEqual(['$.at', '$.participants', '$.conclusion']);
  });

  test('7 experts need ceil(14/3) = 5 votes: 5 votes major, 4 general', () => {
    expect(expertPanelOutcome(panel(7, 5))).toEqual({ grade: 'major', required: 5 });
    expect(expertPanelOutcome(panel(7, 4))).toEqual({ grade: 'general', required: 5 });
  });

  test('9 experts need exactly two thirds, 6 votes', () => {
    expect(expertPanelOutcome(panel(9, 6))).toEqual({ grade: 'major', required: 6 });
    expect(expertPanelOutcome(panel(9, 5)).grade).toBe('general');
  });

  test('a panel of 6 experts, or 7 names with one repeated, is refused', () => {
    expect(thrown(() => expertPanelOutcome(panel(6, 5))).details).toEqual([
      { path: '$.experts', reason: expect.stringContaining('got 6') },
    ]);
    const repeated: ExpertPanel = { at: AT, experts: [...experts(6), '专家1'], votesMajor: 5 };
    expect(thrown(() => expertPanelOutcome(repeated)).details.map((d) => d.path)).toEqual(['$.experts']);
  });

  test('votes outside 0..experts are refused', () => {
    expect(thrown(() => expertPanelOutcome(panel(7, 8))).details.map((d) => d.path)).toEqual(['$.votesMajor']);
    expect(thrown(() => expertPanelOutcome(panel(7, -1))).details.map((d) => d.path)).toEqual(['$.votesMajor']);
    expect(thrown(() => expertPanelOutcome(panel(7, 4.5))).details.map((d) => d.path)).toEqual(['$.votesMajor']);
  });

  test('final grade: the rule alone, then the discussion, then the panel, which overrides the discussion', () => {
    expect(finalGrade(ruleGeneral)).toEqual({ grade: 'general', decidedBy: 'rule' });
    const majorDiscussion = discussion(['张三', '李四', '王五'], 'major');
    expect(finalGrade(ruleGeneral, majorDiscussion)).toEqual({ grade: 'major', decidedBy: 'collective_discussion' });
    expect(finalGrade(ruleGeneral, majorDiscussion, panel(7, 4))).toEqual({ grade: 'general', decidedBy: 'expert_panel' });
  });

  test('final grade refuses an invalid discussion or panel instead of using it', () => {
    expect(thrown(() => finalGrade(ruleGeneral, discussion(['张三']))).code).toBe('VALIDATION_FAILED');
    expect(thrown(() => finalGrade(ruleGeneral, undefined, panel(5, 5))).code).toBe('VALIDATION_FAILED');
  });
});
