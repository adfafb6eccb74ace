// GB 35181 重大火灾隐患判定 as data: one rule table per edition. The engine (gb35181.ts) reads only these
// tables, so an edition is changed by editing data, never code paths. What each entry rests on is in
// ../../../../../shared/standards/GB35181-2025.md (the fact sheet): entries it confirms are `verified`,
// the rest are flagged, and a determination that rests on an unverified entry is provisional.
//
// Codes are the platform's own and stable across editions (D-n: the n-th 2017 直接判定要素; C-a.n: the
// n-th 综合判定要素 of area a; K-n: factors known of the 2025 edition from official statements), so
// inspections and agency findings keep their codes when the edition changes; `clause` is where each
// edition puts it.

export type Edition = '2017' | '2025';

/**
 * Premises classes (场所类别) of either edition. A premises may be in several (a hotel is people-dense
 * and, in 2025, in the group of entertainment venues, hotels and shops); each table says which it knows.
 */
export type PremisesClass =
  | 'crowded'
  | 'dangerous_goods'
  | 'important'
  | 'public_venue'
  | 'children_elderly_medical'
  | 'labour_intensive'
  | 'mixed_use'
  | 'residential'
  | 'other';

export const PREMISES_CLASS_LABELS: Readonly<Record<PremisesClass, string>> = {
  crowded: '人员密集场所',
  dangerous_goods: '易燃易爆危险品场所',
  important: '重要场所',
  public_venue: '公共娱乐场所、宾馆、商场及集贸市场',
  children_elderly_medical: '儿童活动场所、老年人照料设施、医院门诊楼和病房楼',
  labour_intensive: '劳动密集型企业的厂房、仓库',
  mixed_use: '多业态混合生产经营场所',
  residential: '住宅建筑',
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
  /** Where the edition puts it, e.g. `6.5` or `7.3.6`; an unconfirmed place says so. */
  clause?: string;
  /** False when the fact sheet does not confirm the entry for this edition. */
  verified?: boolean;
  /** Direct factors the edition sets out for some premises groups only (2025); absent: any premises. */
  premises?: readonly PremisesClass[];
}

/** 综合判定 counting rules: `designated` counts only factors whose `countsFor` names the class. */
export interface CountingRule {
  id: string;
  clause: string;
  appliesTo: readonly PremisesClass[];
  subset: 'designated' | 'any';
  threshold: number;
  verified: boolean;
}

export const EXCLUSIONS = ['corrected_on_spot', 'stopped_operating', 'expert_reviewed_with_measures'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export const EXCLUSION_LABELS: Readonly<Record<Exclusion, string>> = {
  corrected_on_spot: '能够立即改正',
  stopped_operating: '已停产停业或停止使用',
  expert_reviewed_with_measures: '已进行消防设计专家评审并采取相应技术措施',
};

/** 不判定为重大火灾隐患的情形: `premises` ends the case as not major; `finding` only drops the finding. */
export interface ExclusionRule {
  code: Exclusion;
  level: 'premises' | 'finding';
  clause: string;
  verified: boolean;
}

export interface EditionTable {
  edition: Edition;
  /** zh-CN title as published. */
  title: string;
  /** First Beijing calendar day in force. */
  inForceFrom: string;
  /** True only when every entry was keyed in from the text. */
  verified: boolean;
  premisesClasses: readonly PremisesClass[];
  factors: readonly HazardFactor[];
  countingRules: readonly CountingRule[];
  exclusions: readonly ExclusionRule[];
  /** What the table could not be checked against, said once for readers of a determination. */
  caveat?: string;
}

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

// The 2017 chapter-7 place of a comprehensive factor: areas 1–7 are 7.1–7.7 (7.5 has one item);
// 其他 is 7.9 (7.8 is not modelled).
const clause2017 = (area: number, n: number): string => (area === 5 ? '7.5' : `7.${area === 8 ? 9 : area}.${n}`);

// Clauses the fact sheet confirms from several copies of the 2017 text; the rest are [2017?].
const CONFIRMED_2017 = new Set([
  ...['6.1', '6.2', '6.3', '6.4', '6.5', '6.6', '6.7', '6.8', '6.9', '6.10'],
  ...['7.1.1', '7.1.2', '7.1.3', '7.1.4', '7.2.1', '7.2.2', '7.2.3'],
  ...['7.3.1', '7.3.2', '7.3.3', '7.3.4', '7.3.5', '7.3.6', '7.3.7', '7.5', '7.7.2'],
]);

const direct = (n: number, zh: string, en: string): HazardFactor => ({
  code: `D-${n}`,
  kind: 'direct',
  area: '直接判定要素',
  zh,
  en,
  clause: `6.${n}`,
  verified: CONFIRMED_2017.has(`6.${n}`),
});

const comprehensive = (area: number, n: number, zh: string, en: string, countsFor?: readonly PremisesClass[]): HazardFactor => ({
  code: `C-${area}.${n}`,
  kind: 'comprehensive',
  area: COMPREHENSIVE_AREAS[area - 1]!,
  zh,
  en,
  ...(countsFor ? { countsFor } : {}),
  clause: clause2017(area, n),
  verified: CONFIRMED_2017.has(clause2017(area, n)),
});

/** 2017 ch. 6 直接判定要素: any one of these makes the hazard major. */
const DIRECT_2017: readonly HazardFactor[] = [
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

const CROWDED = ['crowded'] as const satisfies readonly PremisesClass[];
const DANGEROUS = ['dangerous_goods'] as const satisfies readonly PremisesClass[];

/** 2017 ch. 7 综合判定要素: each counts towards the counting rules (5.3). */
const COMPREHENSIVE_2017: readonly HazardFactor[] = [
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

/** GB 35181-2017 《重大火灾隐患判定方法》, in force 2018-07-01 to 2025-10-31. */
export const GB35181_2017: EditionTable = {
  edition: '2017',
  title: 'GB 35181-2017《重大火灾隐患判定方法》',
  inForceFrom: '2018-07-01',
  verified: false,
  premisesClasses: ['crowded', 'dangerous_goods', 'important', 'other'],
  factors: [...DIRECT_2017, ...COMPREHENSIVE_2017],
  // 5.3: the "3 / 4 / 6" thresholds as several copies quote them; the subsets were not re-verified.
  countingRules: [
    { id: '5.3-a', clause: '5.3 a)', appliesTo: ['crowded'], subset: 'designated', threshold: 3, verified: false },
    { id: '5.3-b', clause: '5.3 b)', appliesTo: ['dangerous_goods'], subset: 'designated', threshold: 3, verified: false },
    {
      id: '5.3-c',
      clause: '5.3 c)',
      appliesTo: ['crowded', 'dangerous_goods', 'important'],
      subset: 'any',
      threshold: 4,
      verified: false,
    },
    { id: '5.3-d', clause: '5.3 d)', appliesTo: ['other'], subset: 'any', threshold: 6, verified: false },
  ],
  exclusions: [
    { code: 'corrected_on_spot', level: 'finding', clause: '5.1.2', verified: true },
    { code: 'stopped_operating', level: 'premises', clause: '5.1.3 b)', verified: true },
    { code: 'expert_reviewed_with_measures', level: 'premises', clause: '5.1.3 a)', verified: true },
  ],
  caveat: '2017 版的综合判定计数规则（5.3）及部分第7章条款未经逐条核对原文',
};

const UNCONFIRMED_DIRECT = '第5章（条号未确认）';
const UNCONFIRMED_COMPREHENSIVE = '第6章（条号未确认）';

// A 2017 entry carried into the 2025 scaffold: the 2025 text may keep, move or drop it (unconfirmed).
const carried = (f: HazardFactor): HazardFactor => ({
  ...f,
  clause: f.kind === 'direct' ? UNCONFIRMED_DIRECT : UNCONFIRMED_COMPREHENSIVE,
  verified: false,
  // 重要场所 is no longer a class in 2025.
  ...(f.countsFor ? { countsFor: f.countsFor.filter((c) => c !== 'important') } : {}),
});

const PEOPLE_DENSE_2025: readonly PremisesClass[] = ['crowded', 'public_venue', 'children_elderly_medical', 'labour_intensive'];

/** Factors of the 2025 edition named in official statements (2025-05-13 press conference, 2025-07-17 briefing). */
const KNOWN_2025: readonly HazardFactor[] = (
  [
    {
      code: 'K-1',
      kind: 'direct' as const,
      area: '直接判定要素',
      zh: '人员密集场所违规设置生产、储存易燃易爆危险品的厂房或仓库',
      en: 'People-dense premises illegally housing a plant or warehouse producing or storing flammable or explosive goods',
      premises: PEOPLE_DENSE_2025,
    },
    {
      code: 'K-2',
      kind: 'direct' as const,
      area: '直接判定要素',
      zh: '多产权建筑、多业态混合生产经营场所消防安全责任不清',
      en: 'Fire-safety responsibility unclear in a multi-owner building or mixed-use premises',
      premises: ['mixed_use'] as PremisesClass[],
    },
    {
      code: 'K-3',
      kind: 'direct' as const,
      area: '直接判定要素',
      zh: '疏散楼梯间地上部分与地下部分未进行防火分隔',
      en: 'Above-ground and below-ground parts of an evacuation stair not fire-separated',
    },
    {
      code: 'K-4',
      kind: 'direct' as const,
      area: '直接判定要素',
      zh: '住宅建筑架空层设置的电动自行车集中停放、充电场所未与采光通风井、公共门厅、疏散走道、楼梯间、安全出口进行防火分隔',
      en: 'E-bike parking or charging area in the stilt floor of a residential building not fire-separated from shafts, lobby, corridors, stairs or exits',
      premises: ['residential'] as PremisesClass[],
    },
  ] satisfies ReadonlyArray<Omit<HazardFactor, 'clause' | 'verified'>>
).map((f) => ({ ...f, clause: UNCONFIRMED_DIRECT, verified: false }));

/**
 * GB 35181-2025 《重大火灾隐患判定规则》, in force from 2025-11-01: a scaffold. Confirmed: its chapters
 * (4 rules, 5 direct factors, 6 comprehensive factors, Appendix A), the deletion of 重要场所 and of the
 * 2017 principles-and-procedure chapter, the new premises classes, 30 direct factors set out per
 * premises group, and the four factors K-1…K-4. Not confirmed: clause numbers, the full lists, the
 * counting thresholds and Appendix A's criteria, so every entry here is unverified and every
 * determination under this table is provisional until someone keys in the official text.
 */
export const GB35181_2025: EditionTable = {
  edition: '2025',
  title: 'GB 35181-2025《重大火灾隐患判定规则》',
  inForceFrom: '2025-11-01',
  verified: false,
  premisesClasses: [
    'crowded',
    'public_venue',
    'children_elderly_medical',
    'labour_intensive',
    'dangerous_goods',
    'mixed_use',
    'residential',
    'other',
  ],
  factors: [...KNOWN_2025, ...DIRECT_2017.map(carried), ...COMPREHENSIVE_2017.map(carried)],
  // Chapter 6 exists and changed; its thresholds are unconfirmed. The 2017 figures stand in, with
  // the deleted 重要场所 gone and the people-dense groups counted as people-dense.
  countingRules: [
    { id: '6-a', clause: UNCONFIRMED_COMPREHENSIVE, appliesTo: ['crowded'], subset: 'designated', threshold: 3, verified: false },
    {
      id: '6-b',
      clause: UNCONFIRMED_COMPREHENSIVE,
      appliesTo: ['dangerous_goods'],
      subset: 'designated',
      threshold: 3,
      verified: false,
    },
    {
      id: '6-c',
      clause: UNCONFIRMED_COMPREHENSIVE,
      appliesTo: ['crowded', 'dangerous_goods'],
      subset: 'any',
      threshold: 4,
      verified: false,
    },
    { id: '6-d', clause: UNCONFIRMED_COMPREHENSIVE, appliesTo: ['other'], subset: 'any', threshold: 6, verified: false },
  ],
  // 4.2 lists what is neither judged major nor counted as a factor; its items are unconfirmed.
  exclusions: [
    { code: 'corrected_on_spot', level: 'finding', clause: '4.2（内容未确认）', verified: false },
    { code: 'stopped_operating', level: 'premises', clause: '4.2（内容未确认）', verified: false },
    { code: 'expert_reviewed_with_measures', level: 'premises', clause: '4.2（内容未确认）', verified: false },
  ],
  caveat: '2025 版正文（第4–6章、附录A）未能逐条核对：条号、要素清单与计数标准暂按已知信息和2017版结构设置，判定结果为暂定',
};

export const EDITIONS: Readonly<Record<Edition, EditionTable>> = { '2017': GB35181_2017, '2025': GB35181_2025 };
