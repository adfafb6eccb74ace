// 重大火灾隐患判定 after GB 35181 (重大火灾隐患判定规则). The 2025 edition replaced GB 35181-2017.
// The factor catalogue, exclusions and thresholds below are data, not code, because they are the part that
// changes between editions. Codes follow the standard's structure (D-n: the n-th 直接判定要素; C-a.n: the
// n-th 综合判定要素 of area a, areas in the standard's order) and were modelled on the 2017 clauses; the
// wording, numbering and subsets must be checked against the published 2025 text before the grades are
// used in enforcement documents.
import type { ErrorDetail } from '@firegov/contracts';
import { parseInstant, throwIfInvalid } from './hazard-state.ts';

export type PremisesClass = 'crowded' | 'dangerous_goods' | 'important' | 'other';

export const PREMISES_CLASS_LABELS: Readonly<Record<PremisesClass, string>> = {
  crowded: '人员密集场所',
  dangerous_goods: '易燃易爆危险品场所',
  important: '重要场所',
  other: '其他场所',
};

export interface HazardFactor {
  code: string;
  kind: 'direct' | 'comprehensive';
  /** zh-CN name of the standard's area (章节), e.g. 总平面布置. */
  area: string;
  zh: string;
  en: string;
  /** Comprehensive factors only: the premises classes whose designated subset (指定要素) includes this factor. */
  countsFor?: readonly PremisesClass[];
}

const direct = (n: number, zh: string, en: string): HazardFactor => ({
  code: `D-${n}`,
  kind: 'direct',
  area: '直接判定要素',
  zh,
  en,
});

/** 直接判定要素: any one of these makes the hazard major. */
export const DIRECT_FACTORS: readonly HazardFactor[] = [
  direct(
    1,
    '生产、储存和装卸易燃易爆危险品的工厂、仓库和专用车站、码头、储罐区未设置在城市的边缘或相对独立的安全地带',
    'Plant, warehouse, station, wharf or tank farm for flammable or explosive dangerous goods not located at the city edge or in a separate safe area',
  ),
  direct(
    2,
    '生产、储存、经营易燃易爆危险品的场所与人员密集场所、居住场所设置在同一建筑物内，或与其防火间距小于规定值的75%',
    'Premises producing, storing or selling flammable or explosive dangerous goods in the same building as crowded or residential premises, or separated from them by less than 75% of the required distance',
  ),
  direct(
    3,
    '城市建成区内的加油站、加气站、加油加气合建站的储量达到或超过一级站的规定',
    'Filling or gas station in a built-up urban area storing as much as or more than a first-class station',
  ),
  direct(
    4,
    '甲、乙类生产场所和仓库设置在建筑的地下室或半地下室',
    'Class A or B production or storage in a basement or semi-basement',
  ),
  direct(
    5,
    '公共娱乐场所、商店、地下人员密集场所的安全出口数量不足或其总净宽度小于规定值的80%',
    'Entertainment venue, shop or underground crowded premises with too few exits or a total exit width below 80% of the required width',
  ),
  direct(
    6,
    '旅馆、公共娱乐场所、商店、地下人员密集场所未按规定设置自动喷水灭火系统或火灾自动报警系统',
    'Hotel, entertainment venue, shop or underground crowded premises without the required sprinkler system or fire alarm system',
  ),
  direct(
    7,
    '易燃可燃液体、可燃气体储罐（区）未按规定设置固定灭火、冷却、可燃气体浓度报警、火灾报警设施',
    'Flammable liquid or gas tanks without the required fixed extinguishing, cooling, gas detection or fire alarm installations',
  ),
  direct(
    8,
    '在人员密集场所违反消防安全规定使用、储存或销售易燃易爆危险品',
    'Flammable or explosive dangerous goods used, stored or sold in crowded premises against fire-safety rules',
  ),
  direct(
    9,
    '托儿所、幼儿园的儿童用房以及老年人活动场所所在楼层位置不符合规定',
    'Rooms for nursery or kindergarten children or for elderly people on a floor the standards do not allow',
  ),
  direct(
    10,
    '人员密集场所的居住场所采用彩钢夹芯板搭建，且芯材燃烧性能等级低于A级',
    'Sleeping quarters in crowded premises built of sandwich panels (彩钢夹芯板) whose core is below class A (non-combustible)',
  ),
];

// Areas of the comprehensive factors, in the standard's order; the index is the `a` of `C-a.n`.
export const COMPREHENSIVE_AREAS = [
  '总平面布置',
  '防火分隔',
  '安全疏散设施及灭火救援条件',
  '消防给水及灭火设施',
  '防烟排烟设施',
  '消防供电',
  '火灾自动报警系统',
  '其他',
] as const;

const CROWDED = ['crowded'] as const satisfies readonly PremisesClass[];
const DANGEROUS = ['dangerous_goods'] as const satisfies readonly PremisesClass[];

const comprehensive = (area: number, n: number, zh: string, en: string, countsFor?: readonly PremisesClass[]): HazardFactor => ({
  code: `C-${area}.${n}`,
  kind: 'comprehensive',
  area: COMPREHENSIVE_AREAS[area - 1]!,
  zh,
  en,
  ...(countsFor ? { countsFor } : {}),
});

/** 综合判定要素: each counts towards the thresholds in COMPREHENSIVE_RULES. */
export const COMPREHENSIVE_FACTORS: readonly HazardFactor[] = [
  // 总平面布置
  comprehensive(1, 1, '未按规定设置消防车道，或消防车道被堵塞、占用', 'Fire engine access road missing or blocked', DANGEROUS),
  comprehensive(
    1,
    2,
    '建筑之间的既有防火间距被占用或小于规定值的80%，或明火和散发火花地点与易燃易爆生产厂房、装置设备之间的防火间距不足',
    'Fire separation distance between buildings occupied or below 80% of the required distance, or open flames too close to flammable production',
    DANGEROUS,
  ),
  comprehensive(
    1,
    3,
    '在厂房、库房、商场中设置员工宿舍，或在居住等民用建筑中从事生产、储存、经营等活动且不符合规定',
    'Staff dormitory inside a factory, warehouse or shop, or production, storage or trade inside a dwelling, against the standards',
    DANGEROUS,
  ),
  comprehensive(
    1,
    4,
    '地下车站的站厅乘客疏散区、站台及疏散通道内设置商业经营活动场所',
    'Shops in the passenger evacuation area, platform or escape passages of an underground station',
  ),
  // 防火分隔
  comprehensive(
    2,
    1,
    '原有防火分区被改变，导致实际防火分区的建筑面积大于规定值的50%',
    'Fire compartment altered so that its floor area exceeds the permitted area by more than 50%',
  ),
  comprehensive(
    2,
    2,
    '防火门、防火卷帘等防火分隔设施损坏的数量大于该防火分区相应设施总数的50%',
    'More than half of the fire doors, fire shutters and similar separations in a compartment damaged',
  ),
  comprehensive(
    2,
    3,
    '丙、丁、戊类厂房内有火灾或爆炸危险的部位未采取防火分隔等防火防爆技术措施',
    'Fire or explosion hazard area in a Class C, D or E factory without fire separation or explosion protection',
  ),
  // 安全疏散设施及灭火救援条件
  comprehensive(
    3,
    1,
    '避难走道、避难间、避难层的设置不符合规定，或被占用',
    'Refuge corridor, refuge room or refuge floor non-compliant or occupied',
    CROWDED,
  ),
  comprehensive(
    3,
    2,
    '人员密集场所内疏散楼梯间的设置形式不符合规定',
    'Type of escape staircase in crowded premises not as required',
    CROWDED,
  ),
  comprehensive(
    3,
    3,
    '建筑物的安全出口数量或宽度不符合规定，或既有安全出口被封堵',
    'Number or width of exits non-compliant, or an existing exit blocked',
    CROWDED,
  ),
  comprehensive(3, 4, '应设置独立的安全出口或疏散楼梯而未设置', 'Required separate exit or escape staircase missing', CROWDED),
  comprehensive(
    3,
    5,
    '商店营业厅内的疏散距离大于规定值的125%',
    'Travel distance in a sales hall longer than 125% of the permitted distance',
    CROWDED,
  ),
  comprehensive(
    3,
    6,
    '未按规定设置疏散指示标志、应急照明，或损坏率超过规定（高层和地下建筑30%，其他建筑50%）',
    'Exit signs or emergency lighting missing, or too many broken (30% in high-rise and underground buildings, 50% elsewhere)',
    CROWDED,
  ),
  comprehensive(
    3,
    7,
    '封闭楼梯间或防烟楼梯间的门损坏率超过规定（设有人员密集场所的高层建筑20%，其他建筑50%）',
    'Too many doors of enclosed or smoke-proof staircases broken (20% in high-rise buildings with crowded premises, 50% elsewhere)',
    CROWDED,
  ),
  comprehensive(
    3,
    8,
    '人员密集场所内疏散走道、疏散楼梯间、前室的室内装修材料燃烧性能不符合规定',
    'Interior finishes of escape corridors, staircases or lobbies in crowded premises of a worse fire class than required',
    CROWDED,
  ),
  comprehensive(
    3,
    9,
    '人员密集场所的疏散走道、楼梯间、疏散门或安全出口设置栅栏、卷帘门',
    'Grilles or roller shutters on escape corridors, staircases, escape doors or exits of crowded premises',
    CROWDED,
  ),
  comprehensive(
    3,
    10,
    '人员密集场所的外窗被封堵或被广告牌等遮挡',
    'External windows of crowded premises sealed or covered by billboards',
  ),
  comprehensive(
    3,
    11,
    '高层建筑的消防车道、救援场地设置不符合要求或被占用，影响火灾扑救',
    'Fire access road or rescue site of a high-rise building non-compliant or occupied',
  ),
  comprehensive(
    3,
    12,
    '一类高层民用建筑的消防电梯无法正常运行',
    'Firefighter lift of a Class 1 high-rise civil building out of order',
  ),
  // 消防给水及灭火设施
  comprehensive(
    4,
    1,
    '未按规定设置消防水源、储存泡沫液等灭火剂',
    'Fire water supply or stock of foam concentrate or other agents missing',
  ),
  comprehensive(
    4,
    2,
    '未按规定设置室外消防给水系统，或已设置但不符合规定或不能正常使用',
    'Outdoor fire water system missing, non-compliant or out of order',
  ),
  comprehensive(4, 3, '未按规定设置室内消火栓系统，或已设置但不能正常使用', 'Indoor hydrant system missing or out of order'),
  comprehensive(
    4,
    4,
    '除旅馆、公共娱乐场所、商店、地下人员密集场所外，未按规定设置自动喷水灭火系统',
    'Required sprinkler system missing (premises other than hotels, entertainment venues, shops and underground crowded premises)',
  ),
  comprehensive(
    4,
    5,
    '未按规定设置除自动喷水灭火系统外的其他固定灭火设施',
    'Required fixed extinguishing installation other than sprinklers missing',
    DANGEROUS,
  ),
  comprehensive(
    4,
    6,
    '已设置的自动喷水灭火系统或其他固定灭火设施不能正常使用或运行',
    'Installed sprinkler or other fixed extinguishing system out of order',
  ),
  // 防烟排烟设施
  comprehensive(
    5,
    1,
    '人员密集场所、高层建筑和地下建筑未按规定设置防烟、排烟设施，或已设置但不能正常使用或运行',
    'Smoke control missing or out of order in crowded premises, high-rise or underground buildings',
    CROWDED,
  ),
  // 消防供电
  comprehensive(
    6,
    1,
    '消防用电设备的供电负荷级别不符合规定',
    'Power supply class of fire-safety equipment below the required class',
  ),
  comprehensive(6, 2, '消防用电设备未按规定采用专用的供电回路', 'Fire-safety equipment not on dedicated circuits'),
  comprehensive(
    6,
    3,
    '未按规定设置消防用电设备末端自动切换装置，或已设置但不能正常自动切换',
    'Automatic changeover at the fire-safety equipment missing or not working',
  ),
  // 火灾自动报警系统
  comprehensive(
    7,
    1,
    '除旅馆、公共娱乐场所、商店、地下人员密集场所外的其他场所未按规定设置火灾自动报警系统',
    'Required fire alarm system missing (premises other than hotels, entertainment venues, shops and underground crowded premises)',
  ),
  comprehensive(7, 2, '火灾自动报警系统不能正常运行', 'Fire alarm system out of order'),
  comprehensive(
    7,
    3,
    '防烟排烟系统、消防水泵以及其他自动消防设施不能正常联动控制',
    'Smoke control, fire pumps or other automatic installations not triggered by the alarm system',
  ),
  // 其他
  comprehensive(
    8,
    1,
    '违反规定使用燃油、燃气设备，或燃油、燃气管道敷设和紧急切断装置不符合规定',
    'Oil or gas appliances used against the rules, or fuel piping and emergency shut-off non-compliant',
  ),
  comprehensive(
    8,
    2,
    '违反规定在可燃材料或可燃构件上直接敷设电气线路或安装电气设备，或采用不符合规定的消防配电线缆和其他供配电线缆',
    'Wiring or electrical equipment mounted directly on combustible material, or non-compliant fire-safety or power cables',
  ),
  comprehensive(8, 3, '违反规定使用易燃、可燃材料装修装饰', 'Flammable or combustible decoration used against the rules'),
];

const FACTORS_BY_CODE: ReadonlyMap<string, HazardFactor> = new Map(
  [...DIRECT_FACTORS, ...COMPREHENSIVE_FACTORS].map((factor) => [factor.code, factor]),
);

export const factorByCode = (code: string): HazardFactor | undefined => FACTORS_BY_CODE.get(code);

/**
 * 综合判定 thresholds. `designated` counts only factors whose `countsFor` names the class; `any` counts every
 * comprehensive factor. Rules are tried in order and the first one reached decides.
 */
export interface ComprehensiveRule {
  appliesTo: readonly PremisesClass[];
  subset: 'designated' | 'any';
  threshold: number;
}

export const COMPREHENSIVE_RULES: readonly ComprehensiveRule[] = [
  { appliesTo: ['crowded'], subset: 'designated', threshold: 3 },
  { appliesTo: ['dangerous_goods'], subset: 'designated', threshold: 3 },
  { appliesTo: ['crowded', 'dangerous_goods', 'important'], subset: 'any', threshold: 4 },
  { appliesTo: ['other'], subset: 'any', threshold: 6 },
];

/** 不判定为重大火灾隐患的情形. */
export const EXCLUSIONS = ['corrected_on_spot', 'stopped_operating', 'expert_reviewed_with_measures'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export const EXCLUSION_LABELS: Readonly<Record<Exclusion, string>> = {
  corrected_on_spot: '能够立即改正',
  stopped_operating: '已停产停业或停止使用',
  expert_reviewed_with_measures: '已进行消防设计专家评审并采取相应技术措施',
};

export interface DeterminationInput {
  premisesClass: PremisesClass;
  factorCodes: readonly string[];
  exclusions?: readonly Exclusion[];
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
  rule?: { subset: 'designated' | 'any'; threshold: number; count: number };
  /** zh-CN, names the factors and the rule. */
  explanation: string;
}

const listFactors = (factors: readonly HazardFactor[]): string => factors.map((f) => `${f.code}「${f.zh}」`).join('；');
const subsetLabel = (subset: 'designated' | 'any'): string => (subset === 'designated' ? '指定综合判定要素' : '综合判定要素');

export function determineGrade(input: DeterminationInput): Determination {
  const details: ErrorDetail[] = [];
  if (!Object.hasOwn(PREMISES_CLASS_LABELS, input.premisesClass)) {
    details.push({ path: '$.premisesClass', reason: 'unknown premises class' });
  }
  input.factorCodes.forEach((code, i) => {
    if (!FACTORS_BY_CODE.has(code)) details.push({ path: `$.factorCodes[${i}]`, reason: `unknown factor code ${code}` });
  });
  (input.exclusions ?? []).forEach((exclusion, i) => {
    if (!Object.hasOwn(EXCLUSION_LABELS, exclusion)) details.push({ path: `$.exclusions[${i}]`, reason: 'unknown exclusion' });
  });
  throwIfInvalid(details, 'invalid hazard determination input');

  // A factor reported twice (two inspectors, two rooms) is still one factor.
  const found = [...new Set(input.factorCodes)].map((code) => FACTORS_BY_CODE.get(code)!);
  const premises = PREMISES_CLASS_LABELS[input.premisesClass];

  const exclusions = [...new Set(input.exclusions ?? [])];
  if (exclusions.length > 0) {
    return {
      grade: 'general',
      basis: 'excluded',
      matched: found,
      explanation: `属于不判定为重大火灾隐患的情形（${exclusions.map((e) => EXCLUSION_LABELS[e]).join('、')}），不判定为重大火灾隐患`,
    };
  }

  const directFound = found.filter((f) => f.kind === 'direct');
  if (directFound.length > 0) {
    return {
      grade: 'major',
      basis: 'direct',
      matched: directFound,
      explanation: `存在直接判定要素：${listFactors(directFound)}，直接判定为重大火灾隐患`,
    };
  }

  const comprehensiveFound = found.filter((f) => f.kind === 'comprehensive');
  const applicable = COMPREHENSIVE_RULES.filter((rule) => rule.appliesTo.includes(input.premisesClass)).map((rule) => {
    const counted =
      rule.subset === 'designated'
        ? comprehensiveFound.filter((f) => f.countsFor?.includes(input.premisesClass) ?? false)
        : comprehensiveFound;
    return { rule, counted };
  });

  const decided = applicable.find(({ rule, counted }) => counted.length >= rule.threshold);
  if (decided) {
    const { rule, counted } = decided;
    return {
      grade: 'major',
      basis: 'comprehensive',
      matched: counted,
      rule: { subset: rule.subset, threshold: rule.threshold, count: counted.length },
      explanation:
        `${premises}存在${subsetLabel(rule.subset)} ${counted.length} 条（${listFactors(counted)}），` +
        `达到 ${rule.threshold} 条以上（含本数）的综合判定标准，判定为重大火灾隐患`,
    };
  }

  // Report the rule closest to firing so a reader sees how far the premises is from a major hazard.
  const closest = applicable.reduce<(typeof applicable)[number] | undefined>(
    (best, candidate) =>
      !best || candidate.rule.threshold - candidate.counted.length < best.rule.threshold - best.counted.length ? candidate : best,
    undefined,
  );
  const found0 =
    comprehensiveFound.length > 0
      ? `存在综合判定要素 ${comprehensiveFound.length} 条（${listFactors(comprehensiveFound)}）`
      : '未发现判定要素';
  return {
    grade: 'general',
    basis: 'below_threshold',
    matched: comprehensiveFound,
    ...(closest
      ? { rule: { subset: closest.rule.subset, threshold: closest.rule.threshold, count: closest.counted.length } }
      : {}),
    explanation: closest
      ? `${premises}${found0}，${subsetLabel(closest.rule.subset)}计 ${closest.counted.length} 条，` +
        `未达到 ${closest.rule.threshold} 条的综合判定标准，不判定为重大火灾隐患`
      : `${premises}${found0}，不判定为重大火灾隐患`,
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
 * Maps a unit category key (UnitCategory in @firegov/contracts) to the standard's premises class. Factories,
 * warehouses, self-built houses and unknown keys fall to `other`, the class with the highest threshold, so an
 * unmapped category can never make a hazard major on its own.
 */
export function premisesClassOf(unitCategory: string): PremisesClass {
  return CLASS_BY_CATEGORY.get(unitCategory) ?? 'other';
}

/** 集体讨论: the inspecting authority's own discussion of a doubtful case. */
export interface CollectiveDiscussion {
  at: string;
  participants: string[];
  conclusion: 'major' | 'general';
  notes?: string;
}

/** 专家论证: an outside panel for cases the collective discussion could not settle. */
export interface ExpertPanel {
  at: string;
  experts: string[];
  votesMajor: number;
  notes?: string;
}

export const MIN_DISCUSSION_PARTICIPANTS = 3;
export const MIN_PANEL_EXPERTS = 7;

// The same person typed twice (or with stray spaces) must not make up the quorum.
const distinctNames = (names: unknown): string[] | undefined =>
  Array.isArray(names) && names.every((n) => typeof n === 'string')
    ? [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))]
    : undefined;

export function checkCollectiveDiscussion(d: CollectiveDiscussion): void {
  const details: ErrorDetail[] = [];
  if (parseInstant(d.at) === undefined) details.push({ path: '$.at', reason: 'must be an ISO-8601 date-time with a time zone' });
  const participants = distinctNames(d.participants);
  if (!participants || participants.length < MIN_DISCUSSION_PARTICIPANTS) {
    details.push({
      path: '$.participants',
      reason: `needs at least ${MIN_DISCUSSION_PARTICIPANTS} distinct participants, got ${participants?.length ?? 0}`,
    });
  }
  if (d.conclusion !== 'major' && d.conclusion !== 'general') {
    details.push({ path: '$.conclusion', reason: 'must be major or general' });
  }
  throwIfInvalid(details, 'invalid collective discussion');
}

export function expertPanelOutcome(p: ExpertPanel): { grade: 'general' | 'major'; required: number } {
  const details: ErrorDetail[] = [];
  if (parseInstant(p.at) === undefined) details.push({ path: '$.at', reason: 'must be an ISO-8601 date-time with a time zone' });
  const experts = distinctNames(p.experts);
  const count = experts?.length ?? 0;
  if (count < MIN_PANEL_EXPERTS) {
    details.push({ path: '$.experts', reason: `needs at least ${MIN_PANEL_EXPERTS} distinct experts, got ${count}` });
  }
  if (!Number.isInteger(p.votesMajor) || p.votesMajor < 0 || p.votesMajor > count) {
    details.push({ path: '$.votesMajor', reason: `must be a whole number from 0 to ${count}` });
  }
  throwIfInvalid(details, 'invalid expert panel');
  // ceil(2n/3) in integers, so 7 experts need 5 votes without floating-point doubt.
  const required = Math.floor((2 * count + 2) / 3);
  return { grade: p.votesMajor >= required ? 'major' : 'general', required };
}

/** The expert panel, when held, decides; otherwise the collective discussion; otherwise the rule. */
export function finalGrade(
  det: Determination,
  discussion?: CollectiveDiscussion,
  panel?: ExpertPanel,
): { grade: 'general' | 'major'; decidedBy: 'rule' | 'collective_discussion' | 'expert_panel' } {
  if (discussion) checkCollectiveDiscussion(discussion);
  if (panel) return { grade: expertPanelOutcome(panel).grade, decidedBy: 'expert_panel' };
  if (discussion) return { grade: discussion.conclusion, decidedBy: 'collective_discussion' };
  return { grade: det.grade, decidedBy: 'rule' };
}
