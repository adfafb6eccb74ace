import { defineEnum, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { daysBetween, isoDateField, listOf, personRefField, strictObject, type PersonRef } from './outreach-fields.ts';

// 敲门行动: door-to-door visits to households (a local practice [C2], no national procedure).

export const VisitCheck = defineEnum({
  wiring: { zh: '电气线路', en: 'Electrical wiring' },
  gas: { zh: '燃气', en: 'Gas and stove' },
  ebike_charging: { zh: '电动车充电', en: 'E-bike parking and charging' },
  smoke_alarm: { zh: '烟感', en: 'Smoke alarm' },
  extinguisher: { zh: '灭火器', en: 'Extinguisher' },
  escape_route: { zh: '逃生通道', en: 'Escape route' },
  heating: { zh: '取暖设备', en: 'Heaters' },
  combustibles: { zh: '柴草杂物', en: 'Straw and clutter' },
});
export type VisitCheck = (typeof VisitCheck.values)[number];

export const CheckResult = defineEnum({
  ok: { zh: '正常', en: 'OK' },
  problem: { zh: '有问题', en: 'Problem found' },
  not_applicable: { zh: '不适用', en: 'Not applicable' },
});
export type CheckResult = (typeof CheckResult.values)[number];

export const recordVisitInput = strictObject({
  householdId: idSchema,
  visitor: personRefField,
  date: isoDateField,
  checks: listOf(
    strictObject({ item: VisitCheck.schema, result: CheckResult.schema, note: textField(1, 200).optional() }),
    VisitCheck.values.length,
  )
    .min(1, 'must list at least one checked item')
    .refine((list) => new Set(list.map((c) => c.item)).size === list.length, 'lists the same item twice'),
  findings: listOf(
    strictObject({
      description: textField(1, 300),
      fixedOnSite: z.boolean({ error: typeError('true or false') }),
      deadline: isoDateField.optional(),
    }),
    20,
  ).default([]),
  /** 三清三关 taught on the visit. */
  taught: z.boolean({ error: typeError('true or false') }).default(false),
  revisitOn: isoDateField.optional(),
});
export type RecordVisitInput = z.output<typeof recordVisitInput>;

export interface Visit {
  _id: string;
  householdId: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
  vulnerable: boolean;
  /** The household's vulnerability flags when visited (独居, 留守, 残疾 …), as entities announced them. */
  vulnerabilities: string[];
  visitor: PersonRef;
  date: string;
  checks: Array<{ item: VisitCheck; result: CheckResult; note?: string }>;
  findings: Array<{ description: string; fixedOnSite: boolean; deadline?: string }>;
  taught: boolean;
  revisitOn?: string;
  createdAt: string;
  createdBy: string;
}

/** A household as training knows it from entities' households topic. */
export interface HouseholdRef {
  _id: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
  memberCount: number;
  vulnerabilities: string[];
  demo: boolean;
  /** The last visit's date, kept on the projection so the priority list is one indexed read. */
  lastVisitOn?: string;
}

// Entities registers only households it looks after, but the flags still say who is most at risk:
// any listed vulnerability puts the household on the priority list.
export const isVulnerable = (h: Pick<HouseholdRef, 'vulnerabilities'>): boolean => h.vulnerabilities.length > 0;

export interface VisitCoverageRow {
  villageCode: string;
  gridCode: string | null;
  households: number;
  visited: number;
  vulnerable: number;
  vulnerableVisited: number;
  /** visited / households, 0 when there are none. */
  share: number;
}

/** Visited vs households and vulnerable visited vs vulnerable, per village and per grid of a village. */
export function visitCoverage(
  households: ReadonlyArray<Pick<HouseholdRef, '_id' | 'villageCode' | 'gridCode' | 'vulnerabilities'>>,
  visitedIds: ReadonlySet<string>,
): { byVillage: VisitCoverageRow[]; byGrid: VisitCoverageRow[] } {
  const rows = new Map<string, VisitCoverageRow>();
  const bump = (villageCode: string, gridCode: string | null, h: (typeof households)[number]) => {
    const key = `${villageCode}|${gridCode ?? '*'}`; // '*' is the village row, '' a household with no grid
    const row = rows.get(key) ?? {
      villageCode,
      gridCode,
      households: 0,
      visited: 0,
      vulnerable: 0,
      vulnerableVisited: 0,
      share: 0,
    };
    const visited = visitedIds.has(h._id);
    row.households += 1;
    row.visited += visited ? 1 : 0;
    row.vulnerable += isVulnerable(h) ? 1 : 0;
    row.vulnerableVisited += visited && isVulnerable(h) ? 1 : 0;
    row.share = row.visited / row.households;
    rows.set(key, row);
  };
  for (const h of households) {
    bump(h.villageCode, null, h);
    bump(h.villageCode, h.gridCode ?? '', h);
  }
  const all = [...rows.values()].sort((a, b) => `${a.villageCode}|${a.gridCode}`.localeCompare(`${b.villageCode}|${b.gridCode}`));
  return { byVillage: all.filter((r) => r.gridCode === null), byGrid: all.filter((r) => r.gridCode !== null) };
}

/** Vulnerable households not visited within `days` days of `today`. */
export const needsVisit = (h: HouseholdRef, today: string, days: number): boolean =>
  isVulnerable(h) && (!h.lastVisitOn || daysBetween(h.lastVisitOn, today) > days);
