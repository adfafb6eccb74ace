import { idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { countField, daysBetween, isoDateField, listOf, strictObject, villageCodeField } from './outreach-fields.ts';

// Drills (演练) of a unit's 灭火和应急疏散预案, or a village's drill with its residents.

export const recordDrillInput = strictObject({
  /** A unit of the registry, or a village for a village drill; a unit's own village wins. */
  unitId: idSchema.optional(),
  villageCode: villageCodeField.optional(),
  scenario: textField(1, 200),
  date: isoDateField,
  place: textField(1, 200),
  /** Departments and persons taking part (R7: a drill record names them). */
  departments: listOf(textField(1, 50), 50).min(1, 'must name at least one department or group'),
  participants: countField(100_000).refine((n) => n > 0, 'must be at least 1'),
  evacuationSeconds: countField(86_400).optional(),
  findings: listOf(
    strictObject({
      description: textField(1, 300),
      severity: z.enum(['general', 'major'], { error: 'must be "general" or "major"' }),
      location: textField(1, 100).optional(),
    }),
    50,
  ).default([]),
});
export type RecordDrillInput = z.output<typeof recordDrillInput>;

export interface Drill {
  _id: string;
  unitId?: string;
  unitName?: string;
  villageCode: string;
  scope: string[];
  scenario: string;
  date: string;
  place: string;
  departments: string[];
  participants: number;
  evacuationSeconds?: number;
  findings: Array<{ id: string; description: string; severity: 'general' | 'major'; location?: string }>;
  createdAt: string;
  createdBy: string;
}

/** Findings get ids in their order, so a hazard made from one can point back at it. */
export const numberFindings = (findings: RecordDrillInput['findings']): Drill['findings'] =>
  findings.map((f, i) => ({ id: `f${i + 1}`, ...f }));

/** One drill-frequency rule: data with its confidence and source, never a bare constant. */
export interface DrillRule {
  appliesTo: 'key_unit' | 'school' | 'other_unit';
  maxIntervalDays: number;
  confidence: 'C' | 'C2' | 'L' | 'U';
  source: string;
}

// 61号令 Art.40, 109号令 Art.14(4) and 15 [C]. An academic year is taken as 365 days.
export const DEFAULT_DRILL_RULES: readonly DrillRule[] = [
  { appliesTo: 'key_unit', maxIntervalDays: 183, confidence: 'C', source: '61号令 Art.40: key units ≥1 per 6 months' },
  { appliesTo: 'school', maxIntervalDays: 365, confidence: 'C', source: '109号令 Art.15: schools ≥1 per academic year' },
  { appliesTo: 'other_unit', maxIntervalDays: 365, confidence: 'C', source: '61号令 Art.40; 109号令 Art.14(4): ≥1 per year' },
];

export const drillRulesSchema = z
  .array(
    z.object({
      appliesTo: z.enum(['key_unit', 'school', 'other_unit']),
      maxIntervalDays: z
        .number({ error: typeError('a number of days') })
        .int()
        .min(1)
        .max(3650),
      confidence: z.enum(['C', 'C2', 'L', 'U']),
      source: z.string().min(1),
    }),
  )
  .min(1);

export interface DrillUnit {
  _id: string;
  name: string;
  category: string;
  villageCode: string;
  keyUnit: boolean;
}

export interface OverdueDrill {
  unitId: string;
  name: string;
  villageCode: string;
  rule: DrillRule;
  lastDrillOn: string | null;
  /** Days past the allowed interval (since the last drill, or the whole interval when there was none). */
  overdueByDays: number;
}

export function ruleFor(unit: Pick<DrillUnit, 'category' | 'keyUnit'>, rules: readonly DrillRule[]): DrillRule {
  const kind = unit.keyUnit ? 'key_unit' : unit.category === 'school' ? 'school' : 'other_unit';
  const rule = rules.find((r) => r.appliesTo === kind) ?? rules.find((r) => r.appliesTo === 'other_unit');
  if (!rule) throw new Error(`no drill rule for ${kind} and no rule for other units`);
  return rule;
}

/** R6: a unit is overdue when its last drill is older than its rule allows, or it never drilled. */
export function overdueDrill(
  unit: DrillUnit,
  lastDrillOn: string | null,
  today: string,
  rules: readonly DrillRule[],
): OverdueDrill | null {
  const rule = ruleFor(unit, rules);
  const since = lastDrillOn ? daysBetween(lastDrillOn, today) : Number.POSITIVE_INFINITY;
  if (since <= rule.maxIntervalDays) return null;
  return {
    unitId: unit._id,
    name: unit.name,
    villageCode: unit.villageCode,
    rule,
    lastDrillOn,
    overdueByDays: lastDrillOn ? since - rule.maxIntervalDays : rule.maxIntervalDays,
  };
}
