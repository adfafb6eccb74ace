import type { AlarmType, Condition, Evaluation, ReadingAt, Rule, RuleState, Severity, Transition } from './rule-types.ts';

// The rule engine: one point's reading against one rule, from the rule's state before to its state
// after. Pure and replay-safe: the state is plain JSON stored with the device, so a restart resumes
// a half-elapsed duration from the stored `since`, and a redelivered reading changes nothing.

type Memory = RuleState['memory'];
type Slot = Memory[string];

/**
 * Rate-of-rise needs samples spanning at least half its window: fewer seconds make one noisy step
 * (a sensor's ±1 °C jitter between two readings 5 s apart) look like a fire-speed rise.
 */
export const RATE_MIN_SPAN_FRACTION = 0.5;
/**
 * Once a rate-of-rise condition holds, it stays true until the rate over the window falls below this
 * share of the trigger rate: a fire's temperature does not rise evenly, and a single slower interval
 * must not clear and re-raise the alarm.
 */
export const RATE_CLEAR_FRACTION = 0.5;
/** Samples kept per rate-of-rise condition, so a chatty device cannot grow the stored state without bound. */
export const MAX_RATE_SAMPLES = 60;

const ROOT_PATH = '0';

function threshold(c: Extract<Condition, { type: 'threshold' }>, slot: Slot | undefined, value: unknown): Slot | undefined {
  if (typeof value !== 'number') return slot;
  const was = slot?.latched === true;
  // Above: raised past the limit, cleared only at or below clearAt; below mirrors it.
  const latched =
    c.above !== undefined
      ? was
        ? value > c.clearAt
        : value > c.above
      : c.below !== undefined && (was ? value < c.clearAt : value < c.below);
  return { latched, last: value };
}

function rateOfRise(
  c: Extract<Condition, { type: 'rate_of_rise' }>,
  slot: Slot | undefined,
  at: number,
  value: unknown,
): Slot | undefined {
  if (typeof value !== 'number') return slot;
  const windowMs = c.windowSeconds * 1000;
  const kept = (slot?.samples ?? []).filter(([t]) => t >= at - windowMs);
  const samples = [...kept, [at, value] as [number, number]].slice(-MAX_RATE_SAMPLES);
  const [firstAt, firstValue] = samples[0]!;
  const spanMs = at - firstAt;
  const was = slot?.latched === true;
  // Too short a span to judge: the condition stays as it was (as with a reading that lacks the value).
  if (samples.length < 2 || spanMs < windowMs * RATE_MIN_SPAN_FRACTION) return { latched: was, samples, last: value };
  const perMinute = ((value - firstValue) * 60_000) / spanMs;
  const latched = perMinute >= c.perMinute * (was ? RATE_CLEAR_FRACTION : 1);
  return { latched, samples, last: value };
}

/** Evaluates `c` at `path`, writing its own (and its children's) memory into `memory`. */
function holds(c: Condition, path: string, memory: Memory, reading: ReadingAt): boolean {
  if (c.type === 'all' || c.type === 'any') {
    // Every child is evaluated, never short-circuited: a rate-of-rise child must see every sample.
    const results = c.of.map((child, i) => holds(child, `${path}.${i}`, memory, reading));
    return c.type === 'all' ? results.every(Boolean) : results.some(Boolean);
  }
  const before = memory[path];
  const value = reading.values[c.measurement];
  let after: Slot | undefined;
  if (c.type === 'threshold') after = threshold(c, before, value);
  else if (c.type === 'rate_of_rise') after = rateOfRise(c, before, reading.at, value);
  else after = typeof value === 'boolean' ? { latched: value, last: value } : before;
  if (after !== undefined) memory[path] = after;
  return after?.latched === true;
}

/** A rule that has never seen a reading. */
export const initialRuleState = (): RuleState => ({ active: false, memory: {} });

/**
 * One point's reading against one rule. A reading at or before the state's `lastAt` is a replay:
 * the same state comes back with no transition. A reading that lacks a measurement leaves the
 * conditions on it as they were (heartbeats carry no values), but still moves time on, so a held
 * condition can complete its duration on a heartbeat.
 */
export function evaluateRule(rule: Rule, state: RuleState | undefined, reading: ReadingAt): Evaluation {
  const before = state ?? initialRuleState();
  if (before.lastAt !== undefined && reading.at <= before.lastAt) return { state: before };
  const memory: Memory = { ...before.memory };
  const now = holds(rule.when, ROOT_PATH, memory, reading);
  if (!now) {
    const next: RuleState = { active: false, memory, lastAt: reading.at };
    return before.active ? { state: next, transition: 'clear' } : { state: next };
  }
  const since = before.since ?? reading.at;
  const held = reading.at - since >= (rule.forSeconds ?? 0) * 1000;
  const next: RuleState = { active: before.active || held, since, memory, lastAt: reading.at };
  return !before.active && held ? { state: next, transition: 'raise' } : { state: next };
}

/** Where a rule's state for one point is stored. Rule ids never hold "@" (they are id strings). */
export const ruleStateKey = (ruleId: string, point: string | undefined): string => `${ruleId}@${point ?? ''}`;

/** The rule id and point of a state key; the point is undefined for single-point devices. */
export function parseRuleStateKey(key: string): { ruleId: string; point: string | undefined } {
  const at = key.indexOf('@');
  if (at < 0) return { ruleId: key, point: undefined };
  const point = key.slice(at + 1);
  return { ruleId: key.slice(0, at), point: point === '' ? undefined : point };
}

export interface RuleOutcome {
  ruleId: string;
  alarmType: AlarmType;
  severity: Severity;
  transition: Transition;
}

/**
 * A device's reading (one point) against every rule of its profile. States of other points and of
 * rules no longer in the profile are passed through untouched.
 */
export function evaluateProfile(
  rules: readonly Rule[],
  states: Readonly<Record<string, RuleState>>,
  point: string | undefined,
  reading: ReadingAt,
): { states: Record<string, RuleState>; outcomes: RuleOutcome[] } {
  const next: Record<string, RuleState> = { ...states };
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const key = ruleStateKey(rule.id, point);
    const { state, transition } = evaluateRule(rule, states[key], reading);
    next[key] = state;
    if (transition) outcomes.push({ ruleId: rule.id, alarmType: rule.alarmType, severity: rule.severity, transition });
  }
  return { states: next, outcomes };
}
