import { UnitCategory } from '@firegov/contracts';
import { deriveFlags } from './derived.ts';
import type { FlagInput } from './derived.ts';
import type { CommitmentStatus, RiskGrade } from './enums.ts';

export interface RiskUnit extends FlagInput {
  undergroundFloors?: number;
  keyUnit?: boolean;
  insurance?: { validUntil: string } | null;
  publicCommitment?: { status: CommitmentStatus } | null;
}

/** Facts other services announce as events; each is optional because a service may not have reported yet. */
export interface RiskSignals {
  openMajorHazards?: number;
  openGeneralHazards?: number;
  overdueHazards?: number;
  activeAlarms?: number;
  latestAssessment?: { grade: 'A' | 'B' | 'C' | 'D'; date: string };
  /** Share (0..1) of the people who must be trained that have been. */
  trainingCoverage?: number;
}

export interface RiskFactor {
  code: string;
  /** zh-CN */
  label: string;
  points: number;
  detail: string;
}

export interface RiskAssessment {
  score: number;
  grade: RiskGrade;
  factors: RiskFactor[];
}

// Base points per category, grouped by why the category is dangerous.
const CATEGORY_GROUPS: ReadonlyArray<{ points: number; reason: string; categories: readonly UnitCategory[] }> = [
  {
    points: 30,
    reason: '储存或使用易燃易爆物品，起火即可能爆炸',
    categories: ['petrochemical', 'fireworks', 'hazardous_explosives'],
  },
  {
    points: 20,
    reason: '人员在可燃物旁住宿，或无法自行疏散',
    categories: ['three_in_one', 'elderly_care', 'kindergarten'],
  },
  {
    points: 15,
    reason: '人员密集或疏散困难，属专项整治对象',
    categories: [
      'group_rental',
      'business_self_built_house',
      'medical',
      'school',
      'underground_works',
      'large_commercial_complex',
    ],
  },
  {
    points: 10,
    reason: '火灾荷载大、建筑可燃，或人员不熟悉疏散路线',
    categories: [
      'high_rise',
      'factory',
      'warehouse',
      'logistics',
      'recycling',
      'industry_trade',
      'heritage_building',
      'hotel',
      'esports_hotel',
      'escape_room',
      'internet_cafe',
      'training_institution',
    ],
  },
  {
    points: 5,
    reason: '规模小、火灾荷载较低',
    categories: ['restaurant', 'supermarket', 'tourist_site', 'small_venue', 'rural_self_built_house', 'other'],
  },
];

const CATEGORY_BASE: ReadonlyMap<UnitCategory, { points: number; reason: string }> = new Map(
  CATEGORY_GROUPS.flatMap(({ points, reason, categories }) => categories.map((c) => [c, { points, reason }] as const)),
);

// Lower bounds of each grade, highest first: low < 25 <= general < 50 <= significant < 75 <= major.
const GRADE_FLOORS: ReadonlyArray<readonly [number, RiskGrade]> = [
  [75, 'major'],
  [50, 'significant'],
  [25, 'general'],
  [0, 'low'],
];

const OCCUPANCY_BANDS: ReadonlyArray<readonly [number, number]> = [
  [1000, 15],
  [200, 10],
  [50, 5],
];

// A good grade is a claim about the unit at one moment; after a year it no longer vouches for it.
const ASSESSMENT_CREDIT_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;
// Dates in the registry are Beijing calendar dates; China has no daylight saving, so a fixed offset is exact.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function gradeFor(score: number): RiskGrade {
  return GRADE_FLOORS.find(([floor]) => score >= floor)?.[1] ?? 'low';
}

/** The Beijing calendar date of an instant, as YYYY-MM-DD. */
export function beijingDate(instant: Date): string {
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

// Counts arrive from events; a negative or fractional count is a bug upstream and must not lower the score.
function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function perItem(code: string, label: string, n: number, each: number, cap: number, noun: string): RiskFactor[] {
  if (n === 0) return [];
  const points = Math.min(n * each, cap);
  const capped = n * each > cap ? `，封顶 ${cap} 分` : '';
  return [{ code, label, points, detail: `${n} ${noun}，每项 ${each} 分${capped}` }];
}

function unitFactors(unit: RiskUnit, today: string): RiskFactor[] {
  const factors: RiskFactor[] = [];
  const base = CATEGORY_BASE.get(unit.category) ?? { points: 5, reason: '未列明类别' };
  factors.push({
    code: 'category',
    label: '单位类别',
    points: base.points,
    detail: `${UnitCategory.label(unit.category)}：${base.reason}`,
  });

  const flags = deriveFlags(unit);
  if (flags.highRise) {
    factors.push({ code: 'high_rise', label: '高层建筑', points: 10, detail: flags.highRiseReason ?? '' });
  }

  const band = OCCUPANCY_BANDS.find(([min]) => unit.occupancy >= min);
  if (band) {
    factors.push({
      code: 'occupancy',
      label: '人员密集',
      points: band[1],
      detail: `常驻 ${unit.occupancy} 人（不少于 ${band[0]} 人）`,
    });
  }

  const underground = count(unit.undergroundFloors);
  if (underground > 0) {
    factors.push({
      code: 'underground',
      label: '地下楼层',
      points: Math.min(underground * 4, 12),
      detail: `地下 ${underground} 层，排烟和疏散困难，每层 4 分，封顶 12 分`,
    });
  }

  if (unit.keyUnit === true) {
    factors.push({ code: 'key_unit', label: '消防安全重点单位', points: 5, detail: '列为消防安全重点单位' });
  }

  const insurance = unit.insurance ?? undefined;
  if (insurance === undefined) {
    factors.push({ code: 'no_insurance', label: '未投保火灾公众责任险', points: 5, detail: '没有火灾公众责任保险' });
  } else if (insurance.validUntil < today) {
    factors.push({
      code: 'no_insurance',
      label: '未投保火灾公众责任险',
      points: 5,
      detail: `火灾公众责任保险已于 ${insurance.validUntil} 到期`,
    });
  }

  const commitment = unit.publicCommitment?.status ?? 'none';
  if (commitment === 'none') {
    factors.push({ code: 'no_commitment', label: '未作公示承诺', points: 5, detail: '责任人未签订消防安全承诺' });
  } else if (commitment === 'signed') {
    factors.push({ code: 'commitment_not_posted', label: '承诺未公示', points: 2, detail: '已签订承诺但未向社会公示' });
  }

  if (flags.selfBuiltTarget) {
    factors.push({
      code: 'self_built_target',
      label: '经营性自建房（10人以上）',
      points: 10,
      detail: `经营性自建房常驻 ${unit.occupancy} 人，属专项整治对象`,
    });
  }
  return factors;
}

function signalFactors(signals: RiskSignals, now: Date): RiskFactor[] {
  const factors: RiskFactor[] = [
    ...perItem('open_major_hazards', '未整改重大隐患', count(signals.openMajorHazards), 20, 40, '项重大火灾隐患未整改'),
    ...perItem('open_general_hazards', '未整改一般隐患', count(signals.openGeneralHazards), 3, 15, '项一般火灾隐患未整改'),
    ...perItem('overdue_hazards', '隐患逾期未整改', count(signals.overdueHazards), 5, 20, '项隐患超过整改期限'),
    ...perItem('active_alarms', '未处置报警', count(signals.activeAlarms), 5, 15, '条报警未处置'),
  ];

  const assessment = signals.latestAssessment;
  if (assessment !== undefined) {
    const ageDays = (now.getTime() - Date.parse(`${assessment.date}T00:00:00+08:00`)) / DAY_MS;
    if (assessment.grade === 'C' || assessment.grade === 'D') {
      factors.push({
        code: 'assessment',
        label: '第三方评估等级',
        points: assessment.grade === 'D' ? 20 : 10,
        detail: `${assessment.date} 评估为 ${assessment.grade} 级`,
      });
    } else if (assessment.grade === 'A' && ageDays <= ASSESSMENT_CREDIT_DAYS) {
      factors.push({
        code: 'assessment',
        label: '第三方评估等级',
        points: -10,
        detail: `${assessment.date} 评估为 A 级（一年内有效）`,
      });
    }
  }

  const coverage = signals.trainingCoverage;
  if (coverage !== undefined && Number.isFinite(coverage) && coverage < 0.5) {
    const percent = Math.round(Math.max(0, coverage) * 100);
    factors.push({
      code: 'training_coverage',
      label: '培训覆盖不足',
      points: 10,
      detail: `应训人员培训覆盖率 ${percent}%，低于 50%`,
    });
  }
  return factors;
}

/**
 * 分级分类: the score is the sum of the listed factors' points, clamped to 0..100, so every grade
 * can be explained line by line. `now` decides whether insurance and assessments are still current.
 */
export function gradeRisk(unit: RiskUnit, signals: RiskSignals = {}, now: Date = new Date()): RiskAssessment {
  const factors = [...unitFactors(unit, beijingDate(now)), ...signalFactors(signals, now)];
  const sum = factors.reduce((total, factor) => total + factor.points, 0);
  const score = Math.min(100, Math.max(0, sum));
  return { score, grade: gradeFor(score), factors };
}
