import { ALWAYS_ON_OBJECTS, defineEnum, typeError } from '@firegov/contracts';
import { z } from 'zod';
import { isFireSignal, isOpen, type AlarmStatus } from './alarm-lifecycle.ts';
import type { AlarmType, Severity } from './rule-types.ts';

// Who is told about an alarm, and when (报警推送与逐级升级). Unacknowledged alarms go up a chain:
// the unit's manager at once, reminders, then the grid member, then the township. A fire signal is
// different: not judged within a short window, or judged real, it goes straight to the township
// and the fire brigade.
//
// Pure and idempotent: the next step is derived from the escalations already recorded, so a sweep
// that records what it sends can run any number of times. One step per call; after a long pause
// (a sweep that did not run, a clock jump) the caller calls again until null to catch up. Catching
// up tells every level that became due once, in order, and sends one reminder, not every one missed.

export const EscalationLevel = defineEnum({
  unit_manager: { zh: '单位管理人', en: 'Unit manager' },
  grid_manager: { zh: '网格员', en: 'Grid manager' },
  township: { zh: '乡镇（街道）', en: 'Township' },
  fire_brigade: { zh: '消防救援机构', en: 'Fire and rescue brigade' },
});
export type EscalationLevel = (typeof EscalationLevel.values)[number];

/** The chain an unacknowledged alarm climbs; the fire brigade is told only of fire signals. */
const CHAIN = ['unit_manager', 'grid_manager', 'township'] as const;
export type ChainLevel = (typeof CHAIN)[number];

export interface EscalationPolicy {
  /** Reminders, at the highest chain level told so far, while nobody acknowledges. */
  reminderEveryMinutes: number;
  /** Since the raise. */
  gridManagerAfterMinutes: number;
  /** Since the raise. */
  townshipAfterMinutes: number;
  /** A fire signal not confirmed or marked false this long after the raise goes to township and brigade. */
  fireConfirmWindowMinutes: number;
  /** How high an unacknowledged alarm of each severity climbs: a low battery does not concern the township. */
  topLevel: Record<Severity, ChainLevel>;
}

const minutes = (max: number) =>
  z
    .number({ error: typeError('a number of minutes') })
    .finite()
    .positive('must be more than 0')
    .max(max, `must be at most ${max}`);

const chainLevel = z.enum(CHAIN, {
  error: (issue) => (issue.input === undefined ? 'is required' : `must be one of: ${CHAIN.join(', ')}`),
});

export const escalationPolicySchema = z
  .strictObject(
    {
      reminderEveryMinutes: minutes(24 * 60),
      gridManagerAfterMinutes: minutes(24 * 60),
      townshipAfterMinutes: minutes(7 * 24 * 60),
      fireConfirmWindowMinutes: minutes(60),
      topLevel: z.strictObject(
        { critical: chainLevel, major: chainLevel, minor: chainLevel },
        { error: typeError('an object', { namesUnknownKeys: true }) },
      ),
    },
    { error: typeError('an object', { namesUnknownKeys: true }) },
  )
  .superRefine((p, ctx) => {
    if (
      typeof p.gridManagerAfterMinutes === 'number' &&
      typeof p.townshipAfterMinutes === 'number' &&
      p.townshipAfterMinutes <= p.gridManagerAfterMinutes
    )
      ctx.addIssue({ code: 'custom', path: ['townshipAfterMinutes'], message: 'must be later than gridManagerAfterMinutes' });
  }, ALWAYS_ON_OBJECTS);

/** County defaults; every number is [U]: no standard read here sets them. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  reminderEveryMinutes: 5, // [U]
  gridManagerAfterMinutes: 10, // [U]
  townshipAfterMinutes: 30, // [U]
  // [U] control-room practice is often quoted as confirming a fire alarm within minutes; not verified here.
  fireConfirmWindowMinutes: 3,
  topLevel: { critical: 'township', major: 'grid_manager', minor: 'unit_manager' },
};

export interface Escalation {
  level: EscalationLevel;
  /** Epoch ms the notice was sent. */
  at: number;
  notice: number;
}

export interface EscalatingAlarm {
  type: AlarmType;
  severity: Severity;
  status: AlarmStatus;
  /** Epoch ms. */
  raisedAt: number;
  escalations: readonly Escalation[];
}

export interface EscalationStep {
  level: EscalationLevel;
  /** 1 for the first notice at the level, then counts reminders. */
  notice: number;
}

const MINUTE_MS = 60_000;

/**
 * The one escalation due at `now`, or null. Fire signals first: when confirmed, or still unjudged
 * after the confirmation window, the fire brigade and then the township are told once. Then, only
 * while nobody has acknowledged: each chain level up to the severity's top as it comes due, and a
 * reminder at the highest level told once `reminderEveryMinutes` passed since its last notice.
 */
export function nextEscalation(alarm: EscalatingAlarm, policy: EscalationPolicy, now: number): EscalationStep | null {
  if (!isOpen(alarm.status)) return null;
  const at = (level: EscalationLevel) => alarm.escalations.filter((e) => e.level === level);
  const told = (level: EscalationLevel) => at(level).length > 0;
  const elapsed = now - alarm.raisedAt;

  if (isFireSignal(alarm.type)) {
    const unjudged = alarm.status === 'raised' || alarm.status === 'acknowledged';
    const urgent = alarm.status === 'confirmed' || (unjudged && elapsed >= policy.fireConfirmWindowMinutes * MINUTE_MS);
    const level = urgent ? (['fire_brigade', 'township'] as const).find((l) => !told(l)) : undefined;
    if (level) return { level, notice: 1 };
  }
  if (alarm.status !== 'raised') return null;

  const chain = CHAIN.slice(0, CHAIN.indexOf(policy.topLevel[alarm.severity]) + 1);
  const dueAfter: Record<ChainLevel, number> = {
    unit_manager: Number.NEGATIVE_INFINITY, // at the raise, whatever the clock says
    grid_manager: policy.gridManagerAfterMinutes * MINUTE_MS,
    township: policy.townshipAfterMinutes * MINUTE_MS,
  };
  const newLevel = chain.find((l) => !told(l) && elapsed >= dueAfter[l]);
  if (newLevel) return { level: newLevel, notice: 1 };

  // Reminders go to the highest chain level told so far, which may be the township told by the fire path.
  const highest = [...CHAIN].reverse().find(told);
  if (!highest) return null;
  const notices = at(highest);
  const last = Math.max(...notices.map((e) => e.at));
  if (now - last < policy.reminderEveryMinutes * MINUTE_MS) return null;
  return { level: highest, notice: Math.max(...notices.map((e) => e.notice)) + 1 };
}
