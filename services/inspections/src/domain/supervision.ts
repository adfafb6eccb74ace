import { z } from 'zod';
import { parseInput, typeError } from '@firegov/contracts';
import { escalate, initialEscalation, type EscalationAction, type EscalationPolicy, type EscalationState } from './escalation.ts';

// 分级分类监管 (seed task 11): how often a unit is inspected follows its risk grade. Each county sets
// an interval per grade (in months; by default major monthly, significant quarterly, general
// half-yearly, low yearly). A unit is due one interval after its last inspection by someone other
// than itself (自查 does not count: supervision is someone else looking), or after it became known
// when it was never inspected. Overdue inspections climb the same ladder as overdue hazards
// (逾期 → 乡镇挂牌督办 → 县级挂牌督办, with reminders).

export const RISK_GRADES = ['major', 'significant', 'general', 'low'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

export type InspectionIntervals = Readonly<Record<RiskGrade, number>>;

export const DEFAULT_INTERVALS: InspectionIntervals = { major: 1, significant: 3, general: 6, low: 12 };

/** Inspections that count for supervision: every kind but the unit's own self-check. */
export const SUPERVISING_KINDS = [
  'village_screening',
  'department_verification',
  'unannounced_visit',
  'joint_inspection',
] as const;
export const countsForSupervision = (kind: string): boolean => (SUPERVISING_KINDS as readonly string[]).includes(kind);

const months = z
  .number({ error: typeError('a whole number of months') })
  .int('must be a whole number of months')
  .min(1, 'must be at least 1 month')
  .max(24, 'must be at most 24 months');

export const intervalsInputSchema = z
  .strictObject(
    { major: months, significant: months, general: months, low: months },
    { error: typeError('an object with major, significant, general and low') },
  )
  .superRefine((v, ctx) => {
    // A higher grade is never inspected less often than a lower one.
    for (let i = 1; i < RISK_GRADES.length; i += 1) {
      const higher = RISK_GRADES[i - 1]!;
      const grade = RISK_GRADES[i]!;
      if (typeof v[grade] === 'number' && typeof v[higher] === 'number' && v[grade] < v[higher])
        ctx.addIssue({
          code: 'custom',
          path: [grade],
          message: `is ${v[grade]} months, shorter than ${higher}'s ${v[higher]}: a lower grade is not inspected more often`,
        });
    }
  });

export const parseIntervals = (raw: unknown): InspectionIntervals => parseInput(intervalsInputSchema, raw);

// Months are counted on the calendar of China (UTC+8): a unit inspected on 31 January (Beijing time)
// is due on the last day of February, at the same time of day.
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function addMonths(iso: string, n: number): string {
  const local = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  const day = local.getUTCDate();
  const target = new Date(local.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + n);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return new Date(target.getTime() - CHINA_OFFSET_MS).toISOString();
}

export type ScheduleReason = 'registered' | 'inspected' | 'regraded' | 'intervals_changed';

export interface Schedule {
  grade: RiskGrade;
  intervalMonths: number;
  /** When this service first learned of the unit: the start of a never-inspected unit's interval. */
  knownSince: string;
  lastInspectedAt?: string;
  dueAt: string;
  escalation: EscalationState;
}

/**
 * The schedule after an event at `at`: a grade or interval change moves the due date to one new
 * interval after the basis, but never makes the unit more overdue than it was (a unit whose new
 * interval already ran out is due at the change, or stays due from when it already was); an
 * inspection starts a fresh interval and a fresh ladder.
 */
export function reschedule(
  prev: Pick<Schedule, 'knownSince' | 'lastInspectedAt' | 'dueAt' | 'escalation'> | undefined,
  next: { grade: RiskGrade; intervals: InspectionIntervals; knownSince: string; lastInspectedAt?: string | undefined },
  reason: ScheduleReason,
  at: string,
): Schedule {
  const now = iso(at);
  const intervalMonths = next.intervals[next.grade];
  const knownSince = prev?.knownSince ?? iso(next.knownSince);
  const lastInspectedAt = latest(prev?.lastInspectedAt, next.lastInspectedAt);
  const due = addMonths(lastInspectedAt ?? knownSince, intervalMonths);
  const freshCycle = reason === 'inspected' || !prev;
  const floor = freshCycle ? due : prev.dueAt < now ? prev.dueAt : now;
  const dueAt = due < floor ? floor : due;
  return {
    grade: next.grade,
    intervalMonths,
    knownSince,
    ...(lastInspectedAt ? { lastInspectedAt } : {}),
    dueAt,
    // A new cycle, or a due date moved to now or later, starts the ladder again; a unit that stays
    // overdue keeps its listings and interviews.
    escalation: freshCycle || dueAt >= now ? initialEscalation() : prev.escalation,
  };
}

const iso = (value: string): string => new Date(Date.parse(value)).toISOString();

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b === undefined ? undefined : iso(b);
  if (b === undefined) return iso(a);
  return Date.parse(a) >= Date.parse(b) ? iso(a) : iso(b);
}

/** The ladder for an overdue inspection: the due date is the deadline the township owns. */
export function escalateSchedule(
  s: Pick<Schedule, 'dueAt' | 'escalation'>,
  now: Date,
  policy?: EscalationPolicy,
): { escalation: EscalationState; actions: EscalationAction[]; nextCheckAt: string | null } {
  return escalate({ status: 'rectifying', deadline: s.dueAt, escalation: s.escalation }, now, policy);
}

/** Whole days past due at `now` (0 when not yet due). */
export function daysOverdue(dueAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(dueAt)) / 86_400_000));
}
