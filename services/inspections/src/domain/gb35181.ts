// 重大火灾隐患判定 after GB 35181: the engine. The rules are data, one table per edition
// (gb35181-editions.ts); the edition is the one in force on the day of the determination
// (GB 35181-2025 from 2025-11-01 Beijing time, GB 35181-2017 before), and every determination records
// the edition, the clauses that decided it, the findings it did not count and whether it rests on
// an entry not confirmed from the text (provisional).
import type { ErrorDetail } from '@firegov/contracts';
import {
  EDITIONS,
  EXCLUSION_LABELS,
  GB35181_2017,
  PREMISES_CLASS_LABELS,
  type CountingRule,
  type Edition,
  type EditionTable,
  type Exclusion,
  type HazardFactor,
  type PremisesClass,
} from './gb35181-editions.ts';
import { throwIfInvalid } from './hazard-state.ts';

// Callers read the tables and the engine from one module.
export * from './gb35181-editions.ts';

/** The 2017 table's factors and rules under their earlier names (catalogue readers, tests). */
export const DIRECT_FACTORS: readonly HazardFactor[] = GB35181_2017.factors.filter((f) => f.kind === 'direct');
export const COMPREHENSIVE_FACTORS: readonly HazardFactor[] = GB35181_2017.factors.filter((f) => f.kind === 'comprehensive');
export const COMPREHENSIVE_RULES: readonly CountingRule[] = GB35181_2017.countingRules;

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The edition in force on the Beijing calendar day of `at`. */
export function editionOn(at: string | Date): Edition {
  const day = new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  return day >= EDITIONS['2025'].inForceFrom ? '2025' : '2017';
}

const byCode = (table: EditionTable): ReadonlyMap<string, HazardFactor> => new Map(table.factors.map((f) => [f.code, f]));
const BY_EDITION: Readonly<Record<Edition, ReadonlyMap<string, HazardFactor>>> = {
  '2017': byCode(EDITIONS['2017']),
  '2025': byCode(EDITIONS['2025']),
};

/** A factor of the given edition (2017 by default, the catalogue the codes were first taken from). */
export const factorByCode = (code: string, edition: Edition = '2017'): HazardFactor | undefined => BY_EDITION[edition].get(code);

export interface DeterminationInput {
  /** The premises classes of the premises; `premisesClass` is the one-class form. */
  premisesClasses?: readonly PremisesClass[];
  premisesClass?: PremisesClass;
  factorCodes: readonly string[];
  /** Premises-level exclusions, and `corrected_on_spot` for every finding at once. */
  exclusions?: readonly Exclusion[];
  /** Findings corrected on the spot: not counted (2017 5.1.2). */
  correctedOnSite?: readonly string[];
  /** The day of the determination, which picks the edition; or the edition itself. */
  at?: string | Date;
  edition?: Edition;
}

export interface Determination {
  grade: 'general' | 'major';
  basis: 'excluded' | 'direct' | 'comprehensive' | 'below_threshold';
  /**
   * The factors behind the basis: every factor found when excluded; the direct factors when direct; the
   * factors the deciding rule counted when comprehensive; every comprehensive factor found when below threshold.
   */
  matched: HazardFactor[];
  /** The rule that decided; when below threshold, the applicable rule closest to being reached. */
  rule?: { subset: 'designated' | 'any'; threshold: number; count: number; id?: string; clause?: string };
  /** zh-CN, names the edition, the factors and the rule. */
  explanation: string;
  /** Absent on determinations stored before editions were recorded (they followed 2017). */
  edition?: Edition;
  /** The clauses that decided: exclusions, direct factors, or the counting rules met and the factors they counted. */
  clauses?: string[];
  /** True when the outcome rests on an entry not confirmed from the edition's text. */
  provisional?: boolean;
  /** Findings not counted, each with why (corrected on the spot, not a factor of this edition, another premises group's). */
  ignored?: Array<{ code: string; reason: string }>;
  premisesClasses?: PremisesClass[];
}

const listFactors = (factors: readonly HazardFactor[]): string => factors.map((f) => `${f.code}「${f.zh}」`).join('；');
const subsetLabel = (subset: 'designated' | 'any'): string => (subset === 'designated' ? '指定综合判定要素' : '综合判定要素');
const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function checkInput(input: DeterminationInput, table: EditionTable, classes: readonly PremisesClass[]): void {
  const details: ErrorDetail[] = [];
  if (classes.length === 0) details.push({ path: '$.premisesClasses', reason: 'must name at least one premises class' });
  classes.forEach((c, i) => {
    if (!table.premisesClasses.includes(c))
      details.push({
        path: input.premisesClasses ? `$.premisesClasses[${i}]` : '$.premisesClass',
        reason: `${String(c)} is not a premises class of ${table.title} (${table.premisesClasses.join(', ')})`,
      });
  });
  input.factorCodes.forEach((code, i) => {
    if (!BY_EDITION['2017'].has(code) && !BY_EDITION['2025'].has(code))
      details.push({ path: `$.factorCodes[${i}]`, reason: `unknown factor code ${code}` });
  });
  (input.correctedOnSite ?? []).forEach((code, i) => {
    if (!input.factorCodes.includes(code))
      details.push({ path: `$.correctedOnSite[${i}]`, reason: `${code} is not among the factorCodes` });
  });
  (input.exclusions ?? []).forEach((exclusion, i) => {
    if (!Object.hasOwn(EXCLUSION_LABELS, exclusion)) details.push({ path: `$.exclusions[${i}]`, reason: 'unknown exclusion' });
  });
  throwIfInvalid(details, 'invalid hazard determination input');
}

export function determineGrade(input: DeterminationInput): Determination {
  const edition = input.edition ?? editionOn(input.at ?? new Date());
  const table = EDITIONS[edition];
  const classes = unique(input.premisesClasses ?? (input.premisesClass ? [input.premisesClass] : []));
  checkInput(input, table, classes);
  const factors = BY_EDITION[edition];
  const inGroup = (f: HazardFactor) => !f.premises || f.premises.some((c) => classes.includes(c));
  const premises = classes.map((c) => PREMISES_CLASS_LABELS[c]).join('、');
  const cite = `依据${table.title}：`;
  const caveat = (provisional: boolean) => (provisional && table.caveat ? `（暂定：${table.caveat}）` : '');
  const base = { edition, premisesClasses: classes };

  // Exclusions that end the case (premises level) come first; then findings that do not count.
  const exclusions = unique(input.exclusions ?? []);
  const exclusionRules = table.exclusions.filter((r) => exclusions.includes(r.code));
  const premisesExclusions = exclusionRules.filter((r) => r.level === 'premises');
  const allCorrected = exclusionRules.some((r) => r.code === 'corrected_on_spot');
  const codes = unique(input.factorCodes);
  const ignored: Array<{ code: string; reason: string }> = [];
  const correctedRule = table.exclusions.find((r) => r.code === 'corrected_on_spot');
  const counted: HazardFactor[] = [];
  for (const code of codes) {
    const f = factors.get(code);
    if (!f) ignored.push({ code, reason: `不是${table.title}的判定要素` });
    else if (allCorrected || (input.correctedOnSite ?? []).includes(code))
      ignored.push({ code, reason: `${EXCLUSION_LABELS.corrected_on_spot}，不作为判定要素（${correctedRule?.clause ?? '—'}）` });
    else if (!inGroup(f))
      ignored.push({ code, reason: `仅适用于${(f.premises ?? []).map((c) => PREMISES_CLASS_LABELS[c]).join('、')}` });
    else counted.push(f);
  }
  const withIgnored = ignored.length > 0 ? { ignored } : {};

  if (premisesExclusions.length > 0 || (allCorrected && codes.length > 0)) {
    const rules = premisesExclusions.length > 0 ? premisesExclusions : exclusionRules;
    const provisional = rules.some((r) => !r.verified);
    return {
      ...base,
      grade: 'general',
      basis: 'excluded',
      matched: codes.map((c) => factors.get(c)).filter((f): f is HazardFactor => f !== undefined),
      clauses: rules.map((r) => r.clause),
      provisional,
      ...withIgnored,
      explanation:
        `${cite}属于不判定为重大火灾隐患的情形（${rules.map((r) => `${EXCLUSION_LABELS[r.code]}，${r.clause}`).join('；')}），` +
        `不判定为重大火灾隐患${caveat(provisional)}`,
    };
  }

  const directFound = counted.filter((f) => f.kind === 'direct');
  if (directFound.length > 0) {
    const provisional = directFound.some((f) => f.verified === false);
    return {
      ...base,
      grade: 'major',
      basis: 'direct',
      matched: directFound,
      clauses: unique(directFound.map((f) => f.clause ?? f.code)),
      provisional,
      ...withIgnored,
      explanation: `${cite}存在直接判定要素：${listFactors(directFound)}，直接判定为重大火灾隐患${caveat(provisional)}`,
    };
  }

  const comprehensiveFound = counted.filter((f) => f.kind === 'comprehensive');
  const applicable = table.countingRules
    .filter((rule) => rule.appliesTo.some((c) => classes.includes(c)))
    .map((rule) => ({
      rule,
      counted:
        rule.subset === 'designated'
          ? comprehensiveFound.filter((f) => f.countsFor?.some((c) => rule.appliesTo.includes(c) && classes.includes(c)) ?? false)
          : comprehensiveFound,
    }));
  // A premises in several classes answers to every rule of every class; all rules met are reported.
  const met = applicable.filter(({ rule, counted: c }) => c.length >= rule.threshold);
  if (met.length > 0) {
    const { rule, counted: first } = met[0]!;
    const countedAll = unique(met.flatMap((m) => m.counted));
    const provisional = met.some((m) => !m.rule.verified) || countedAll.some((f) => f.verified === false);
    return {
      ...base,
      grade: 'major',
      basis: 'comprehensive',
      matched: first,
      rule: { id: rule.id, clause: rule.clause, subset: rule.subset, threshold: rule.threshold, count: first.length },
      clauses: unique([...met.map((m) => m.rule.clause), ...countedAll.map((f) => f.clause ?? f.code)]),
      provisional,
      ...withIgnored,
      explanation: `${cite}${premises}存在${met
        .map(
          (m) =>
            `${subsetLabel(m.rule.subset)} ${m.counted.length} 条，达到 ${m.rule.threshold} 条以上（含本数）的标准（${m.rule.clause}）`,
        )
        .join('；')}（${listFactors(countedAll)}），判定为重大火灾隐患${caveat(provisional)}`,
    };
  }

  // Report the rule closest to firing so a reader sees how far the premises is from a major hazard.
  const closest = applicable.reduce<(typeof applicable)[number] | undefined>(
    (best, candidate) =>
      !best || candidate.rule.threshold - candidate.counted.length < best.rule.threshold - best.counted.length ? candidate : best,
    undefined,
  );
  const provisional = applicable.some((a) => !a.rule.verified) || comprehensiveFound.some((f) => f.verified === false);
  const found0 =
    comprehensiveFound.length > 0
      ? `存在综合判定要素 ${comprehensiveFound.length} 条（${listFactors(comprehensiveFound)}）`
      : '未发现判定要素';
  return {
    ...base,
    grade: 'general',
    basis: 'below_threshold',
    matched: comprehensiveFound,
    ...(closest
      ? {
          rule: {
            id: closest.rule.id,
            clause: closest.rule.clause,
            subset: closest.rule.subset,
            threshold: closest.rule.threshold,
            count: closest.counted.length,
          },
        }
      : {}),
    clauses: applicable.map((a) => a.rule.clause),
    provisional,
    ...withIgnored,
    explanation: closest
      ? `${cite}${premises}${found0}，${subsetLabel(closest.rule.subset)}计 ${closest.counted.length} 条，` +
        `未达到 ${closest.rule.threshold} 条的综合判定标准（${closest.rule.clause}），不判定为重大火灾隐患${caveat(provisional)}`
      : `${cite}${premises}${found0}，不判定为重大火灾隐患${caveat(provisional)}`,
  };
}

const CROWDED_CATEGORIES = [
  'large_commercial_complex',
  'school',
  // 托儿所、幼儿园 are 人员密集场所 (消防法 §73).
  'kindergarten',
  'internet_cafe',
  'elderly_care',
  'medical',
  'training_institution',
  'escape_room',
  'esports_hotel',
  'hotel',
  'restaurant',
  'supermarket',
  'tourist_site',
  'small_venue',
  'group_rental',
  'three_in_one',
  'underground_works',
];
const DANGEROUS_GOODS_CATEGORIES = ['petrochemical', 'hazardous_explosives', 'fireworks'];
const IMPORTANT_CATEGORIES = ['heritage_building', 'high_rise', 'logistics'];

const CLASS_BY_CATEGORY: ReadonlyMap<string, PremisesClass> = new Map([
  ...CROWDED_CATEGORIES.map((c) => [c, 'crowded'] as const),
  ...DANGEROUS_GOODS_CATEGORIES.map((c) => [c, 'dangerous_goods'] as const),
  ...IMPORTANT_CATEGORIES.map((c) => [c, 'important'] as const),
]);

/**
 * Maps a unit category key (UnitCategory in @firegov/contracts) to its 2017 premises class. Factories,
 * warehouses, self-built houses and unknown keys fall to `other`, the class with the highest threshold, so an
 * unmapped category can never make a hazard major on its own.
 */
export function premisesClassOf(unitCategory: string): PremisesClass {
  return CLASS_BY_CATEGORY.get(unitCategory) ?? 'other';
}

// The 2025 premises groups a category belongs to besides people-dense (人员密集场所).
const GROUPS_2025: Readonly<Record<string, readonly PremisesClass[]>> = {
  hotel: ['public_venue'],
  esports_hotel: ['public_venue'],
  small_venue: ['public_venue'],
  escape_room: ['public_venue'],
  internet_cafe: ['public_venue'],
  supermarket: ['public_venue'],
  large_commercial_complex: ['public_venue'],
  kindergarten: ['children_elderly_medical'],
  elderly_care: ['children_elderly_medical'],
  medical: ['children_elderly_medical'],
  three_in_one: ['mixed_use'],
  group_rental: ['residential'],
};

/**
 * The premises classes of a unit category under an edition. Under 2025 重要场所 is gone (its categories
 * are `other`), people-dense categories also join their premises group, and a factory or warehouse is
 * `other` unless the determination names it a labour-intensive enterprise's (劳动密集型企业: the
 * head-count that makes one is not confirmed, so an inspector says so, not the category).
 */
export function premisesClassesOf(unitCategory: string, edition: Edition): PremisesClass[] {
  const c2017 = premisesClassOf(unitCategory);
  if (edition === '2017') return [c2017];
  if (unitCategory === 'rural_self_built_house') return ['residential'];
  if (c2017 === 'important') return ['other'];
  return [c2017, ...(GROUPS_2025[unitCategory] ?? [])];
}
