// Escalation ladder for hazards not rectified in time: 逾期 → 乡镇挂牌督办 → 县级挂牌督办, with reminders (催办)
// in between and 警示约谈 recorded by the supervising level. Pure: a periodic sweep calls `escalate` with
// `now`, persists the state and publishes the actions; `nextCheckAt` tells the sweep when to come back.
import { DomainError, type ErrorDetail } from '@firegov/contracts';
import { parseInstant, throwIfInvalid, type HazardStatus } from './hazard-state.ts';

export type EscalationLevel = 'none' | 'overdue' | 'township_supervision' | 'county_supervision';

/** The one label set of the ladder's levels (the schema's enum descriptions use it). */
export const ESCALATION_LEVEL_LABELS: Readonly<Record<EscalationLevel, { zh: string; en: string }>> = {
  none: { zh: '未逾期', en: 'Not overdue' },
  overdue: { zh: '逾期未改', en: 'Overdue, not rectified' },
  township_supervision: { zh: '乡镇挂牌督办', en: 'Listed supervision, township' },
  county_supervision: { zh: '县级挂牌督办', en: 'Listed supervision, county' },
};

/** All thresholds count days past the rectification deadline. */
export interface EscalationPolicy {
  townshipAfterDays: number;
  countyAfterDays: number;
  reminderEveryDays: number;
}

export const DEFAULT_POLICY: Readonly<EscalationPolicy> = { townshipAfterDays: 7, countyAfterDays: 30, reminderEveryDays: 3 };

/** 警示约谈: the supervising level summons the responsible person. */
export interface WarningInterview {
  at: string;
  by: string;
  interviewee: string;
  level: 'township' | 'county';
  notes?: string;
}

export interface EscalationState {
  level: EscalationLevel;
  overdueSince?: string;
  /** When the hazard was first listed at each level; kept across new deadlines (see resetOnNewDeadline). */
  townshipListedAt?: string;
  countyListedAt?: string;
  lastReminderAt?: string;
  /** Reminders sent over the hazard's whole life, not only for the current deadline. */
  reminders: number;
  /** When anyone last acted on the hazard (order, report, re-inspection, interview). */
  lastActionAt?: string;
  interviews: WarningInterview[];
}

export type EscalationAction =
  | { kind: 'mark_overdue'; at: string }
  | { kind: 'list_supervision'; level: 'township' | 'county'; at: string }
  | { kind: 'remind'; at: string; reminderNo: number; to: 'responsible_party' | 'township' | 'county' };

export interface EscalationInput {
  status: HazardStatus;
  /** The deadline of the order in force. */
  deadline?: string;
  escalation: EscalationState;
}

const DAY_MS = 86_400_000;
const LEVELS: readonly EscalationLevel[] = ['none', 'overdue', 'township_supervision', 'county_supervision'];
const rank = (level: EscalationLevel): number => LEVELS.indexOf(level);

// Whoever holds the hazard at a level is the one who must chase it.
const REMINDER_TARGET: Readonly<Record<Exclude<EscalationLevel, 'none'>, 'responsible_party' | 'township' | 'county'>> = {
  overdue: 'responsible_party',
  township_supervision: 'township',
  county_supervision: 'county',
};

export function initialEscalation(): EscalationState {
  return { level: 'none', reminders: 0, interviews: [] };
}

const copy = (e: EscalationState): EscalationState => ({ ...e, interviews: [...e.interviews] });

// Rounded once here so that every threshold and nextCheckAt land on the same whole millisecond.
const daysMs = (days: number): number => Math.round(days * DAY_MS);

function checkPolicy(policy: EscalationPolicy): void {
  const details: ErrorDetail[] = [];
  const { townshipAfterDays, countyAfterDays, reminderEveryDays } = policy;
  if (!Number.isFinite(townshipAfterDays) || townshipAfterDays < 0) {
    details.push({ path: '$.policy.townshipAfterDays', reason: 'must be a number of days, 0 or more' });
  }
  if (!Number.isFinite(countyAfterDays) || countyAfterDays < townshipAfterDays) {
    details.push({ path: '$.policy.countyAfterDays', reason: 'must be a number of days, at least townshipAfterDays' });
  }
  // A zero interval would make a reminder due again at the instant it was sent, so the sweep would never settle.
  if (!Number.isFinite(reminderEveryDays) || daysMs(reminderEveryDays) < 1) {
    details.push({ path: '$.policy.reminderEveryDays', reason: 'must be a positive number of days' });
  }
  throwIfInvalid(details, 'invalid escalation policy');
}

function instant(value: string, path: string): number {
  const ms = parseInstant(value);
  if (ms === undefined) {
    throw new DomainError('VALIDATION_FAILED', 'invalid instant', [
      { path, reason: 'must be an ISO-8601 date-time with a time zone' },
    ]);
  }
  return ms;
}

const optionalInstant = (value: string | undefined, path: string): number | undefined =>
  value === undefined ? undefined : instant(value, path);

/** The reminder clock restarts whenever someone acts, so a party that is visibly working is not nagged. */
function reminderDueAt(e: EscalationState, deadline: number, policy: EscalationPolicy): number {
  const since = Math.max(
    optionalInstant(e.lastReminderAt, '$.escalation.lastReminderAt') ?? -Infinity,
    optionalInstant(e.lastActionAt, '$.escalation.lastActionAt') ?? -Infinity,
    optionalInstant(e.overdueSince, '$.escalation.overdueSince') ?? deadline,
  );
  return since + daysMs(policy.reminderEveryDays);
}

export function escalate(
  input: EscalationInput,
  now: Date,
  policy: EscalationPolicy = DEFAULT_POLICY,
): { escalation: EscalationState; actions: EscalationAction[]; nextCheckAt: string | null } {
  checkPolicy(policy);
  const e = copy(input.escalation);
  const idle = { escalation: e, actions: [], nextCheckAt: null };
  // Only rectifying and awaiting_reinspection hazards have a deadline. Awaiting re-inspection means the party
  // has reported the work done, so the hazard keeps its level but climbs no further while the inspector is due.
  if (input.deadline === undefined || (input.status !== 'rectifying' && input.status !== 'awaiting_reinspection')) return idle;
  const deadline = instant(input.deadline, '$.deadline');
  if (input.status === 'awaiting_reinspection') return idle;

  const t = now.getTime();
  const at = now.toISOString();
  const actions: EscalationAction[] = [];
  const thresholds: ReadonlyArray<{ level: EscalationLevel; from: number }> = [
    { level: 'overdue', from: deadline },
    { level: 'township_supervision', from: deadline + daysMs(policy.townshipAfterDays) },
    { level: 'county_supervision', from: deadline + daysMs(policy.countyAfterDays) },
  ];

  // A late sweep climbs every rung it missed in one call, lowest first, each stamped with the time it ran:
  // the notices go out now, whatever day they should have gone out.
  for (const step of thresholds) {
    if (rank(e.level) >= rank(step.level) || t < step.from) continue;
    e.level = step.level;
    if (step.level === 'overdue') {
      e.overdueSince = at;
      actions.push({ kind: 'mark_overdue', at });
    } else if (step.level === 'township_supervision') {
      e.townshipListedAt ??= at;
      actions.push({ kind: 'list_supervision', level: 'township', at });
    } else {
      e.countyListedAt ??= at;
      actions.push({ kind: 'list_supervision', level: 'county', at });
    }
  }

  // At most one reminder per call: a sweep that was down for a week sends one, not two.
  if (e.level !== 'none' && t >= reminderDueAt(e, deadline, policy)) {
    e.reminders += 1;
    e.lastReminderAt = at;
    actions.push({ kind: 'remind', at, reminderNo: e.reminders, to: REMINDER_TARGET[e.level] });
  }

  // Everything above fires at `t >= instant`, so the next instant at which something fires is exactly the
  // smallest instant still ahead; the sweep indexes on it.
  const upcoming = thresholds.filter((step) => rank(e.level) < rank(step.level)).map((step) => step.from);
  if (e.level !== 'none') upcoming.push(reminderDueAt(e, deadline, policy));
  return { escalation: e, actions, nextCheckAt: new Date(Math.min(...upcoming)).toISOString() };
}

/** Records that someone acted on the hazard (order, report, re-inspection), which restarts the reminder clock. */
export function recordAction(e: EscalationState, at: string): EscalationState {
  const ms = instant(at, '$.at');
  const last = optionalInstant(e.lastActionAt, '$.lastActionAt');
  return { ...copy(e), lastActionAt: last !== undefined && last > ms ? e.lastActionAt! : new Date(ms).toISOString() };
}

/**
 * Records a 警示约谈. The level may not exceed the highest level the hazard has been listed at, and the
 * interview may not predate that listing: a county interview needs a county listing.
 */
export function recordInterview(e: EscalationState, interview: WarningInterview): EscalationState {
  const details: ErrorDetail[] = [];
  const at = parseInstant(interview.at);
  if (at === undefined) details.push({ path: '$.at', reason: 'must be an ISO-8601 date-time with a time zone' });
  if (typeof interview.by !== 'string' || interview.by.trim() === '') details.push({ path: '$.by', reason: 'must not be empty' });
  if (typeof interview.interviewee !== 'string' || interview.interviewee.trim() === '') {
    details.push({ path: '$.interviewee', reason: 'must not be empty' });
  }
  if (interview.level !== 'township' && interview.level !== 'county') {
    details.push({ path: '$.level', reason: 'must be township or county' });
  } else {
    // A county listing also puts the hazard under the township's supervision, so it opens township interviews.
    const county = optionalInstant(e.countyListedAt, '$.countyListedAt');
    const township = interview.level === 'township' ? optionalInstant(e.townshipListedAt, '$.townshipListedAt') : undefined;
    const listedAt = [county, township].filter((ms): ms is number => ms !== undefined);
    const label = interview.level === 'county' ? '县级挂牌督办' : '乡镇挂牌督办';
    if (listedAt.length === 0) {
      details.push({ path: '$.level', reason: `the hazard has not been listed for ${interview.level} supervision (${label})` });
    } else if (at !== undefined && at < Math.min(...listedAt)) {
      details.push({ path: '$.at', reason: `is before the hazard was listed for ${interview.level} supervision (${label})` });
    }
  }
  throwIfInvalid(details, 'invalid warning interview');
  const recorded: WarningInterview = {
    ...interview,
    at: new Date(at!).toISOString(),
    by: interview.by.trim(),
    interviewee: interview.interviewee.trim(),
  };
  return recordAction({ ...e, interviews: [...e.interviews, recorded] }, recorded.at);
}

/**
 * A failed re-inspection sets a new deadline: the hazard starts the ladder again from `none`. The listing
 * times, interviews and reminder count stay, because a 挂牌督办 is a public act that statistics and
 * reports count and that is lifted only when the hazard is closed, and because the listing authority keeps
 * the standing to hold 警示约谈 while the hazard remains unrectified.
 */
export function resetOnNewDeadline(e: EscalationState): EscalationState {
  const next: EscalationState = { ...copy(e), level: 'none' };
  delete next.overdueSince;
  return next;
}
