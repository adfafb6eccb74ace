import { defineEnum, type HazardSnapshot } from '@firegov/contracts';
import type { Placement } from '@firegov/kit';
import type { ListItem } from './departments.ts';
import { beijingDate } from './risk.ts';

// 年度考核 (seed tasks 3, 4 and guarantee measure 3: 纳入政务督查、行业督导和绩效考核): one score a
// year per department, leader and village, from how its lists were kept, how its hazards were
// closed and how its units' people were trained, less its 通报 and 约谈 — explained factor by
// factor like the risk grade. The seed asks for the assessment but sets no weights or bands: the
// ones below are this platform's defaults, stated in every explanation.

export const DutyGrade = defineEnum({
  excellent: { zh: '优秀', en: 'Excellent' },
  good: { zh: '良好', en: 'Good' },
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
});
export type DutyGrade = (typeof DutyGrade.values)[number];

export const DutySubjectKind = defineEnum({
  department: { zh: '部门', en: 'Department' },
  leader: { zh: '领导干部', en: 'Leader' },
  village: { zh: '村（社区）', en: 'Village or community' },
});
export type DutySubjectKind = (typeof DutySubjectKind.values)[number];

export const DUTY_WEIGHTS = { lists: 40, hazards: 40, training: 20 } as const;
export const DUTY_DEDUCTIONS = { notice: 2, noticeCap: 10, interview: 5, interviewCap: 20 } as const;
const GRADE_FLOORS: ReadonlyArray<readonly [number, DutyGrade]> = [
  [90, 'excellent'],
  [80, 'good'],
  [60, 'pass'],
];

export interface ListTally {
  /** Items due this year by today, or done already. */
  due: number;
  done: number;
  notices: number;
  interviews: number;
}
export interface HazardTally {
  found: number;
  closed: number;
  overdue: number;
}
export interface TrainingTally {
  /** Active units that must have people trained. */
  required: number;
  /** Of those, units whose every required person holds valid training. */
  full: number;
}

export interface DutyFactor {
  code: 'lists' | 'hazards' | 'training' | 'notices' | 'interviews';
  label: string;
  points: number;
  /** The most the factor can give; 0 for a deduction and for a factor with nothing to assess. */
  maxPoints: number;
  detail: string;
}

export interface DutyScore {
  /** Null when none of the three shares had anything to assess (no items due, no hazards, no units). */
  score: number | null;
  grade: DutyGrade | null;
  factors: DutyFactor[];
}

/** What a year's list items say: due so far (or done early), done, and the 通报/约谈 they drew. */
export function tallyLists(
  items: ReadonlyArray<Pick<ListItem, 'deadline' | 'status'> & { escalation?: { noticedAt?: string; interviewDueAt?: string } }>,
  year: number,
  now: Date,
): ListTally {
  const today = beijingDate(now);
  const inYear = items.filter((i) => i.deadline?.startsWith(`${year}-`));
  const due = inYear.filter((i) => i.status === 'done' || i.deadline! <= today);
  return {
    due: due.length,
    done: due.filter((i) => i.status === 'done').length,
    notices: inYear.filter((i) => i.escalation?.noticedAt).length,
    interviews: inYear.filter((i) => i.escalation?.interviewDueAt).length,
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
const pct = (part: number, whole: number): string => `${Math.round((part / whole) * 100)}%`;

function share(code: DutyFactor['code'], label: string, weight: number, part: number, whole: number, detail: string): DutyFactor {
  if (whole === 0) return { code, label, points: 0, maxPoints: 0, detail: `${detail}，不计入` };
  return { code, label, points: round1((weight * part) / whole), maxPoints: weight, detail: `${detail}（${pct(part, whole)}）` };
}

function deduction(code: DutyFactor['code'], label: string, n: number, each: number, cap: number): DutyFactor[] {
  if (n === 0) return [];
  const points = Math.min(n * each, cap);
  return [
    {
      code,
      label,
      points: -points,
      maxPoints: 0,
      detail: `${n} 次，每次扣 ${each} 分${n * each > cap ? `，封顶 ${cap} 分` : ''}`,
    },
  ];
}

/**
 * The year's score out of 100: the three shares are scaled to the weights of those that had
 * something to assess (a department with no units to train is not marked down for it), then the
 * deductions apply; bands 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60.
 */
export function dutyScore(t: { lists: ListTally; hazards: HazardTally; training: TrainingTally }): DutyScore {
  const shares = [
    share(
      'lists',
      '清单完成',
      DUTY_WEIGHTS.lists,
      t.lists.done,
      t.lists.due,
      `到期事项 ${t.lists.due} 项，完成 ${t.lists.done} 项`,
    ),
    share(
      'hazards',
      '隐患整改',
      DUTY_WEIGHTS.hazards,
      t.hazards.closed,
      t.hazards.found,
      `本年发现隐患 ${t.hazards.found} 处，整改销号 ${t.hazards.closed} 处${t.hazards.overdue > 0 ? `，逾期未改 ${t.hazards.overdue} 处` : ''}`,
    ),
    share(
      'training',
      '培训覆盖',
      DUTY_WEIGHTS.training,
      t.training.full,
      t.training.required,
      `应训单位 ${t.training.required} 家，全员培训合格 ${t.training.full} 家`,
    ),
  ];
  const deductions = [
    ...deduction('notices', '通报', t.lists.notices, DUTY_DEDUCTIONS.notice, DUTY_DEDUCTIONS.noticeCap),
    ...deduction('interviews', '约谈', t.lists.interviews, DUTY_DEDUCTIONS.interview, DUTY_DEDUCTIONS.interviewCap),
  ];
  const factors = [...shares, ...deductions];
  const max = shares.reduce((sum, f) => sum + f.maxPoints, 0);
  // Nothing to assess is neither full marks nor a failure.
  if (max === 0) return { score: null, grade: null, factors };
  const earned = shares.reduce((sum, f) => sum + f.points, 0);
  const score = round1(Math.max(0, Math.min(100, (earned / max) * 100 + deductions.reduce((sum, f) => sum + f.points, 0))));
  return { score, grade: GRADE_FLOORS.find(([floor]) => score >= floor)?.[1] ?? 'fail', factors };
}

/** The codes a unit or hazard counts under: its county, township and village, and its supervising department. */
export function dutyCodes(o: {
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  department?: string | undefined;
}): string[] {
  return [`j:${o.countyCode}`, `j:${o.townshipCode}`, `j:${o.villageCode}`, ...(o.department ? [`d:${o.department}`] : [])];
}

const OPEN = new Set(['open', 'rectifying', 'awaiting_reinspection']);

/**
 * Where a hazard counts: in the year it was found (Beijing), as found and then closed or open
 * (and overdue); a dismissed hazard was never one and counts nowhere.
 */
export function hazardPlacement(
  h: Pick<HazardSnapshot, 'countyCode' | 'townshipCode' | 'villageCode' | 'status' | 'escalationLevel' | 'foundAt'>,
  department: string | undefined,
): Placement | null {
  if (h.status === 'dismissed') return null;
  const year = beijingDate(new Date(h.foundAt)).slice(0, 4);
  const cells = [`${year}|found`];
  if (OPEN.has(h.status)) {
    cells.push(`${year}|open`);
    if (h.escalationLevel !== 'none') cells.push(`${year}|overdue`);
  } else cells.push(`${year}|closed`);
  return { codes: dutyCodes({ ...h, department }), cells };
}

/** Where an active unit counts for training: required, and full when everyone required is trained. */
export function trainingPlacement(u: {
  status: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  supervisingDepartment?: string | undefined;
  signals?: { trainingCoverage?: number | undefined } | undefined;
}): Placement | null {
  const coverage = u.signals?.trainingCoverage;
  if (u.status !== 'active' || coverage === undefined || coverage === null) return null;
  return {
    codes: dutyCodes({ ...u, department: u.supervisingDepartment }),
    cells: coverage >= 1 ? ['required', 'full'] : ['required'],
  };
}

export const hazardTally = (cells: ReadonlyMap<string, number>, year: number): HazardTally => ({
  found: cells.get(`${year}|found`) ?? 0,
  closed: cells.get(`${year}|closed`) ?? 0,
  overdue: cells.get(`${year}|overdue`) ?? 0,
});

export const trainingTally = (cells: ReadonlyMap<string, number>): TrainingTally => ({
  required: cells.get('required') ?? 0,
  full: cells.get('full') ?? 0,
});
