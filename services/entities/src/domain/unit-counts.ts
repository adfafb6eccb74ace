// Village summaries (每村/社区 单位数、重点单位、高层、自建房、风险等级分布) are counts over every active
// unit of a township: 95,000 units in the county-sized demo. Counting them per request means
// reading them all, so the counts are kept as a read model instead (store/unit-counts.ts). This
// module is its pure half: where one unit counts, and how counts become summaries.

export const GRADES = ['low', 'general', 'significant', 'major'] as const;
export type Grade = (typeof GRADES)[number];

export interface VillageSummary {
  villageCode: string;
  units: number;
  keyUnits: number;
  highRise: number;
  selfBuiltTargets: number;
  byGrade: Record<Grade, number>;
}

export interface CountedUnit {
  status: string;
  category: string;
  scope: readonly string[];
  villageCode: string;
  risk: { grade: string };
  keyUnit: boolean;
  highRise: boolean;
  selfBuiltTarget: boolean;
}

/** The cell a unit adds one to, under every code of its scope; null when it is not counted. */
export interface CountCell {
  scope: readonly string[];
  /** For village summaries: village|grade|key|highRise|selfBuilt. */
  cell: string;
  /** For list totals: category|grade|key|highRise|selfBuilt. */
  listCell: string;
}

const flag = (b: boolean) => (b ? '1' : '0');

// Cells are `village|grade|key|highRise|selfBuilt`: small enough that a township has a few
// hundred, and every summary field is a sum over them.
export function countCell(unit: CountedUnit): CountCell | null {
  if (unit.status !== 'active') return null;
  const flags = [unit.risk.grade, flag(unit.keyUnit), flag(unit.highRise), flag(unit.selfBuiltTarget)];
  return { scope: unit.scope, cell: [unit.villageCode, ...flags].join('|'), listCell: [unit.category, ...flags].join('|') };
}

/** One string that says where a unit counts, so "did it move?" is one comparison. */
export function encodeCell(c: CountCell | null): string {
  return c ? `${c.scope.join(',')}\t${c.cell}\t${c.listCell}` : '';
}

/** Summaries per village from the cells counted under one jurisdiction code, in village-code order. */
export function summarise(cells: Record<string, string | number>): VillageSummary[] {
  const byVillage = new Map<string, VillageSummary>();
  for (const [cell, raw] of Object.entries(cells)) {
    const n = Number(raw);
    if (!(n > 0)) continue;
    const [villageCode, grade, key, high, self] = cell.split('|');
    if (!villageCode || grade === undefined) continue;
    const s = byVillage.get(villageCode) ?? {
      villageCode,
      units: 0,
      keyUnits: 0,
      highRise: 0,
      selfBuiltTargets: 0,
      byGrade: { low: 0, general: 0, significant: 0, major: 0 },
    };
    s.units += n;
    if (key === '1') s.keyUnits += n;
    if (high === '1') s.highRise += n;
    if (self === '1') s.selfBuiltTargets += n;
    if ((GRADES as readonly string[]).includes(grade)) s.byGrade[grade as Grade] += n;
    byVillage.set(villageCode, s);
  }
  return [...byVillage.values()].sort((a, b) => a.villageCode.localeCompare(b.villageCode));
}

/** The counts of the units matching everything under both codes: the narrower of the two, if nested. */
export function countingCode(
  callerJurisdiction: string,
  requested: string | null | undefined,
  isWithin: (code: string, ancestor: string) => boolean,
): string | null {
  if (!requested || requested === callerJurisdiction) return callerJurisdiction;
  if (isWithin(requested, callerJurisdiction)) return requested;
  if (isWithin(callerJurisdiction, requested)) return callerJurisdiction;
  return null;
}

/** The list filters a total can be read from the counts for (no search, active units only). */
export interface CountableFilter {
  category?: string | null;
  riskGrade?: string | null;
  keyUnit?: boolean | null;
  highRise?: boolean | null;
  selfBuiltTarget?: boolean | null;
}

/** How many active units under one code match the filter: the sum of the list cells it selects. */
export function totalOf(listCells: Record<string, string | number>, filter: CountableFilter): number {
  const want = (b: boolean | null | undefined) => (typeof b === 'boolean' ? flag(b) : null);
  const [key, high, self] = [want(filter.keyUnit), want(filter.highRise), want(filter.selfBuiltTarget)];
  let total = 0;
  for (const [cell, raw] of Object.entries(listCells)) {
    const [category, grade, k, h, s] = cell.split('|');
    if (filter.category && category !== filter.category) continue;
    if (filter.riskGrade && grade !== filter.riskGrade) continue;
    if ((key !== null && k !== key) || (high !== null && h !== high) || (self !== null && s !== self)) continue;
    const n = Number(raw);
    if (n > 0) total += n;
  }
  return total;
}
