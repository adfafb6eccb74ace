import { z } from 'zod';
import { textField } from '@firegov/contracts';
import { array, int, object } from './fields.ts';

// What a single fire force is held to, from ../shared/standards/training-and-fire-forces.md §(c), (e)
// R8 and R10: micro fire stations (微型消防站, 公消〔2015〕301号 and the community standard of 2015) and
// township teams by class (GB/T 35547-2017 《乡镇消防队》). A check that rests on a local or
// unconfirmed figure only warns; the others fail the team.

export const MICRO_STATION = {
  /** Staff, 站长 included (key-unit stations ≥6; community stations 站长 + ≥5). */
  minMembers: 6,
  /** 3分钟到场: members on scene within three minutes. */
  arrivalMinutes: 3,
  /** Community stations keep 24 h duty in shifts of at least three ([C2], a district re-issue). */
  communityMinPerShift: 3,
} as const;

/** GB/T 35547-2017 classes: vehicles are [C2], staff figures [U] (a local document): staff only warns. */
export const TOWNSHIP_CLASSES = {
  class1: { zh: '一级乡镇专职消防队', vehicles: 2, staff: 15 },
  class2: { zh: '二级乡镇专职消防队', vehicles: 1, staff: 10 },
  volunteer: { zh: '乡镇志愿消防队', vehicles: 0, staff: 0 },
} as const;
export type TownshipClass = keyof typeof TOWNSHIP_CLASSES;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM (00:00–23:59)');

/** One shift of a duty roster (值班表); a shift may run past midnight (20:00–08:00). */
export const dutyShiftSchema = object({
  from: hhmm,
  to: hhmm,
  members: array(textField(1, 50), 100),
});
export type DutyShift = z.output<typeof dutyShiftSchema>;
export const dutyRosterSchema = array(dutyShiftSchema, 24);

/** A call-out (出动): when the call came and how many minutes until the first member was on scene. */
export const callOutSchema = object({
  at: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone' }),
  arrivalMinutes: z.number({ error: 'must be a number of minutes' }).min(0).max(600),
  incident: textField(1, 200),
  membersTurnedOut: int(0, 500).optional(),
});
export type CallOut = z.output<typeof callOutSchema>;

export interface TeamCheck {
  code: string;
  ok: boolean;
  /** fail: the team does not meet a rule; warn: a local or unconfirmed figure, or a record to look at. */
  severity: 'fail' | 'warn';
  /** zh-CN, says what was found against what is asked. */
  message: string;
  source: string;
}

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** Minutes of the day (0–1439) the roster leaves without anyone on duty. */
export function uncoveredMinutes(roster: readonly DutyShift[]): number {
  const covered = new Array<boolean>(1440).fill(false);
  for (const s of roster) {
    if (s.members.length === 0) continue;
    const from = minutesOf(s.from);
    const to = minutesOf(s.to);
    // from == to is a 24-hour shift.
    const length = to > from ? to - from : 1440 - from + to;
    for (let i = 0; i < length; i += 1) covered[(from + i) % 1440] = true;
  }
  return covered.filter((c) => !c).length;
}

const MICRO_SOURCE = '公消〔2015〕301号《消防安全重点单位微型消防站建设标准（试行）》/《社区微型消防站建设标准（试行）》';

function microStationChecks(team: {
  stationType?: 'key_unit' | 'community' | undefined;
  members: ReadonlyArray<{ role?: string | undefined }>;
  dutyRoster?: readonly DutyShift[] | undefined;
}): TeamCheck[] {
  const n = team.members.length;
  const roster = team.dutyRoster ?? [];
  const gap = uncoveredMinutes(roster);
  const checks: TeamCheck[] = [
    {
      code: 'MS_STAFF',
      ok: n >= MICRO_STATION.minMembers,
      severity: 'fail',
      message: `队员 ${n} 人，应不少于 ${MICRO_STATION.minMembers} 人（含站长）`,
      source: MICRO_SOURCE,
    },
    {
      code: 'MS_HEAD',
      ok: team.members.some((m) => (m.role ?? '').includes('站长')),
      severity: 'fail',
      message: '应明确站长',
      source: MICRO_SOURCE,
    },
    {
      code: 'MS_DUTY_24H',
      ok: roster.length > 0 && gap === 0,
      severity: 'fail',
      message: roster.length === 0 ? '未建立24小时值班表' : `值班表有 ${gap} 分钟无人值守，应24小时值班`,
      source: MICRO_SOURCE,
    },
  ];
  if (team.stationType === 'community') {
    const thin = roster.filter((s) => s.members.length < MICRO_STATION.communityMinPerShift);
    checks.push({
      code: 'MS_SHIFT_SIZE',
      ok: roster.length > 0 && thin.length === 0,
      severity: 'fail',
      message:
        thin.length > 0
          ? `${thin.map((s) => `${s.from}–${s.to}`).join('、')} 班次不足 ${MICRO_STATION.communityMinPerShift} 人`
          : `每班不少于 ${MICRO_STATION.communityMinPerShift} 人`,
      source: '《社区微型消防站建设标准（试行）》（区级转发文本）',
    });
  }
  return checks;
}

function townshipChecks(team: {
  townshipClass: TownshipClass;
  members: readonly unknown[];
  equipment: ReadonlyArray<{ item: string; quantity: number }>;
}): TeamCheck[] {
  const cls = TOWNSHIP_CLASSES[team.townshipClass];
  if (cls.vehicles === 0 && cls.staff === 0) return [];
  const vehicles = team.equipment.filter((e) => /车/.test(e.item)).reduce((n, e) => n + e.quantity, 0);
  return [
    {
      code: 'TT_VEHICLES',
      ok: vehicles >= cls.vehicles,
      severity: 'fail',
      message: `${cls.zh}消防车 ${vehicles} 辆，应不少于 ${cls.vehicles} 辆`,
      source: 'GB/T 35547-2017《乡镇消防队》（车辆配备，二手资料）',
    },
    {
      code: 'TT_STAFF',
      ok: team.members.length >= cls.staff,
      severity: 'warn',
      message: `${cls.zh}队员 ${team.members.length} 人；地方文件要求不少于 ${cls.staff} 人（未经国家标准确认）`,
      source: 'GB/T 35547-2017 人员配备未确认；台州2018年地方文件',
    },
  ];
}

/** Call-outs of the last 365 days (to `today`) whose first member arrived after three minutes. */
export function lateArrivals(callOuts: readonly CallOut[], today: string): CallOut[] {
  const since = new Date(Date.parse(`${today}T00:00:00+08:00`) - 365 * 86_400_000).toISOString();
  return callOuts.filter((c) => new Date(c.at).toISOString() >= since && c.arrivalMinutes > MICRO_STATION.arrivalMinutes);
}

/** Every check that applies to the team (none for a village 专/兼职 team: those count towards the village's readiness). */
export function teamChecks(
  team: {
    kind: string;
    stationType?: 'key_unit' | 'community' | undefined;
    townshipClass?: TownshipClass | undefined;
    members: ReadonlyArray<{ role?: string | undefined }>;
    equipment: ReadonlyArray<{ item: string; quantity: number }>;
    dutyRoster?: readonly DutyShift[] | undefined;
    callOuts?: readonly CallOut[] | undefined;
    capabilities?: readonly string[] | undefined;
  },
  today: string,
): TeamCheck[] {
  const checks: TeamCheck[] = [];
  if (team.kind === 'micro_station') checks.push(...microStationChecks(team));
  if (team.kind === 'full_time' && team.townshipClass)
    checks.push(...townshipChecks({ ...team, townshipClass: team.townshipClass }));
  if (team.kind === 'specialist_rescue') {
    checks.push({
      code: 'SR_CAPABILITY',
      ok: (team.capabilities ?? []).length > 0 && team.members.length > 0,
      severity: 'fail',
      message: '专业救援力量应登记队员和救援能力',
      source: '丰都县青龙乡年度消防工作计划（任务13）',
    });
  }
  if (team.kind === 'micro_station' || team.kind === 'full_time' || team.kind === 'part_time') {
    const late = lateArrivals(team.callOuts ?? [], today);
    checks.push({
      code: 'ARRIVAL_3MIN',
      ok: late.length === 0,
      severity: 'warn',
      message:
        late.length === 0
          ? '近一年出动均在3分钟内到场'
          : `近一年 ${late.length} 次出动超过3分钟到场（${late.map((c) => `${c.arrivalMinutes} 分钟`).join('、')}）`,
      source: '3分钟到场（微型消防站建设标准）',
    });
  }
  return checks;
}
