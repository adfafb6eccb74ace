import { DEFAULT_PROFILES } from '../../src/domain/profiles.ts';
import type { Condition, Evaluation, ReadingAt, Rule, RuleState } from '../../src/domain/rule-types.ts';
import { MAX_RATE_SAMPLES, evaluateProfile, evaluateRule, parseRuleStateKey, ruleStateKey } from '../../src/domain/rules.ts';

const S = 1000;
const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const at = (seconds: number, values: ReadingAt['values']): ReadingAt => ({ at: T0 + seconds * S, values });

const rule = (when: Condition, forSeconds?: number): Rule => ({
  id: 'r',
  alarmType: 'over_temperature',
  severity: 'major',
  when,
  ...(forSeconds !== undefined ? { forSeconds } : {}),
});

/** Feeds readings in order; returns every evaluation (the last one's state is the rule's state). */
function feed(r: Rule, readings: ReadingAt[], start?: RuleState): Evaluation[] {
  const out: Evaluation[] = [];
  let state = start;
  for (const reading of readings) {
    const e = evaluateRule(r, state, reading);
    out.push(e);
    state = e.state;
  }
  return out;
}
const transitions = (es: Evaluation[]) => es.map((e) => e.transition ?? '-');

describe('threshold', () => {
  const residual = rule({ type: 'threshold', measurement: 'residualCurrentMa', above: 300, clearAt: 270 });

  test('raises above the limit and clears only back at clearAt (hysteresis)', () => {
    const values = [250, 300, 310, 290, 271, 270, 280, 301];
    const es = feed(
      residual,
      values.map((v, i) => at(i * 10, { residualCurrentMa: v })),
    );
    // 300 is not above 300; 290 and 271 are still above clearAt; 280 is under the raise limit again.
    expect(transitions(es)).toEqual(['-', '-', 'raise', '-', '-', 'clear', '-', 'raise']);
    expect(es.map((e) => e.state.active)).toEqual([false, false, true, true, true, false, false, true]);
  });

  test('below mirrors above: a low battery raises under 20 and clears at 25', () => {
    const battery = rule({ type: 'threshold', measurement: 'batteryPercent', below: 20, clearAt: 25 });
    const es = feed(
      battery,
      [25, 19, 22, 24, 25].map((v, i) => at(i, { batteryPercent: v })),
    );
    expect(transitions(es)).toEqual(['-', 'raise', '-', '-', 'clear']);
  });

  test('a reading without the measurement (a heartbeat) leaves the condition as it was', () => {
    const es = feed(residual, [at(0, {}), at(10, { residualCurrentMa: 400 }), at(20, {}), at(30, { fault: false })]);
    expect(transitions(es)).toEqual(['-', 'raise', '-', '-']);
    expect(es.map((e) => e.state.active)).toEqual([false, true, true, true]);
    expect(es[3]!.state.lastAt).toBe(T0 + 30 * S);
  });
});

test('state: a boolean measurement raises while true; a missing one changes nothing', () => {
  const tamper = rule({ type: 'state', measurement: 'tamper' });
  const es = feed(tamper, [
    at(0, { tamper: false }),
    at(1, { tamper: true }),
    at(2, { batteryPercent: 80 }),
    at(3, { tamper: false }),
  ]);
  expect(transitions(es)).toEqual(['-', 'raise', '-', 'clear']);
});

describe('duration (forSeconds)', () => {
  const lowPressure = rule({ type: 'threshold', measurement: 'pressureMpa', below: 0.1, clearAt: 0.12 }, 60);
  const p = (s: number, v: number) => at(s, { pressureMpa: v });

  test('raises only once the condition has held forSeconds by reading times; since records its start', () => {
    const es = feed(lowPressure, [p(0, 0.2), p(10, 0.08), p(40, 0.08), p(69, 0.09), p(70, 0.05), p(80, 0.05)]);
    expect(transitions(es)).toEqual(['-', '-', '-', '-', 'raise', '-']);
    expect(es[0]!.state.since).toBeUndefined();
    expect(es.slice(1).map((e) => e.state.since)).toEqual(Array(5).fill(T0 + 10 * S));
  });

  test('a condition that lapses before the duration raises nothing, and a new spell starts its own clock', () => {
    const es = feed(lowPressure, [p(0, 0.08), p(50, 0.13), p(60, 0.08), p(100, 0.08), p(120, 0.08)]);
    expect(transitions(es)).toEqual(['-', '-', '-', '-', 'raise']);
    expect(es[1]!.state.since).toBeUndefined();
    expect(es[4]!.state.since).toBe(T0 + 60 * S);
  });

  test('a heartbeat after the duration completes it (the condition is held as last known)', () => {
    expect(transitions(feed(lowPressure, [p(0, 0.08), at(61, {})]))).toEqual(['-', 'raise']);
  });

  test('a restart mid-duration resumes from the stored since (state survives JSON)', () => {
    const [first] = feed(lowPressure, [p(0, 0.08)]);
    const stored = JSON.parse(JSON.stringify(first!.state)) as RuleState;
    expect(stored).toEqual(first!.state);
    expect(transitions(feed(lowPressure, [p(30, 0.08), p(60, 0.08)], stored))).toEqual(['-', 'raise']);
  });

  test('an active rule clears as soon as the condition is false, without waiting', () => {
    expect(transitions(feed(lowPressure, [p(0, 0.08), p(60, 0.08), p(61, 0.12)]))).toEqual(['-', 'raise', 'clear']);
  });
});

describe('replay', () => {
  const smoke = rule({ type: 'state', measurement: 'alarm' });

  test('a reading at or before lastAt returns the same state and no transition', () => {
    const [raised] = feed(smoke, [at(10, { alarm: true })]);
    expect(raised!.transition).toBe('raise');
    const again = evaluateRule(smoke, raised!.state, at(10, { alarm: true }));
    expect(again.transition).toBeUndefined();
    expect(again.state).toBe(raised!.state);
    // An older reading saying the opposite must not clear the alarm either.
    expect(evaluateRule(smoke, raised!.state, at(5, { alarm: false }))).toEqual({ state: raised!.state });
  });

  test('replaying a whole sequence onto its final state changes nothing', () => {
    const readings = [at(0, { alarm: false }), at(1, { alarm: true }), at(2, { alarm: false }), at(3, { alarm: true })];
    const es = feed(smoke, readings);
    const final = es[3]!.state;
    const replayed = feed(smoke, readings, final);
    expect(replayed.every((e) => e.state === final && e.transition === undefined)).toBe(true);
  });

  test('the input state is never mutated', () => {
    const r = rule({ type: 'rate_of_rise', measurement: 'cableTemperatureC', perMinute: 10, windowSeconds: 60 });
    const [first] = feed(r, [at(0, { cableTemperatureC: 20 })]);
    const snapshot = structuredClone(first!.state);
    evaluateRule(r, Object.freeze(first!.state), at(30, { cableTemperatureC: 40 }));
    expect(first!.state).toEqual(snapshot);
  });
});

describe('rate_of_rise', () => {
  // 10 °C a minute over 2 minutes: needs samples spanning at least 60 s; clears under 5 °C a minute.
  const rise = rule({ type: 'rate_of_rise', measurement: 'cableTemperatureC', perMinute: 10, windowSeconds: 120 });
  const c = (s: number, v: number) => at(s, { cableTemperatureC: v });

  test('raises on the rise over the spanned time, holds with hysteresis, clears when it slows', () => {
    const es = feed(rise, [c(0, 30), c(30, 36), c(60, 41), c(90, 45), c(120, 47), c(150, 48), c(180, 48)]);
    // 30 s is too short a span to judge (12 °C/min would otherwise raise); at 60 s: 11 °C/min.
    // At 150 s the window holds 36→48 over 120 s = 6 °C/min: below the trigger but above half of it.
    // At 180 s: 41→48 over 120 s = 3.5 °C/min clears.
    expect(transitions(es)).toEqual(['-', '-', 'raise', '-', '-', '-', 'clear']);
  });

  test('a rise below the rate does not raise, however long it lasts', () => {
    const es = feed(
      rise,
      Array.from({ length: 20 }, (_, i) => c(i * 30, 20 + i * 4.5)),
    );
    expect(es.some((e) => e.state.active)).toBe(false);
  });

  test('keeps only the window, and at most MAX_RATE_SAMPLES samples', () => {
    const es = feed(
      rise,
      Array.from({ length: 200 }, (_, i) => c(i, 20)),
    );
    const samples = es[199]!.state.memory['0']!.samples!;
    expect(samples).toHaveLength(MAX_RATE_SAMPLES);
    expect(samples[samples.length - 1]).toEqual([T0 + 199 * S, 20]);
    const short = rule({ type: 'rate_of_rise', measurement: 'cableTemperatureC', perMinute: 10, windowSeconds: 10 });
    const last = feed(
      short,
      Array.from({ length: 50 }, (_, i) => c(i, 20)),
    )[49]!.state;
    expect(last.memory['0']!.samples!.map(([t]) => (t - T0) / S)).toEqual([39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  });

  test('after a gap longer than the window, one new sample cannot raise', () => {
    const es = feed(rise, [c(0, 20), c(600, 90)]);
    expect(es[1]!.state.active).toBe(false);
    expect(es[1]!.state.memory['0']!.samples).toEqual([[T0 + 600 * S, 90]]);
  });
});

describe('all / any', () => {
  const overheat = DEFAULT_PROFILES.ebike_charging_monitor.rules.find((r) => r.id === 'charging_overheat')!;
  const r = (s: number, currentA: number, temperatureC: number) => at(s, { currentA, temperatureC });

  test('each child keeps its memory under its own path', () => {
    const [e] = feed(overheat, [r(0, 1, 30)]);
    expect(Object.keys(e!.state.memory).sort()).toEqual(['0.0', '0.1.0', '0.1.1']);
    expect(e!.state.memory['0.1.1']!.samples).toEqual([[T0, 30]]);
  });

  test('an all of current and rate of rise raises after the hold, and clears when charging stops', () => {
    const es = feed(overheat, [r(0, 1, 30), r(60, 1, 36), r(70, 1, 37), r(80, 1, 38), r(90, 0.2, 39)]);
    // At 60 s: 6 °C/min with 1 A flowing → true, since = 60 s; held 20 s at 80 s.
    expect(transitions(es)).toEqual(['-', '-', '-', 'raise', 'clear']);
    expect(es[1]!.state.since).toBe(T0 + 60 * S);
  });

  test('the same rise without charging current is no alarm', () => {
    const es = feed(overheat, [r(0, 0, 30), r(60, 0, 36), r(80, 0, 38), r(120, 0, 42)]);
    expect(es.some((e) => e.state.active)).toBe(false);
  });

  test('any: one true child suffices, and the other children still see every reading', () => {
    const es = feed(overheat, [r(0, 0, 65), r(10, 0, 66), r(20, 0, 66)]);
    expect(transitions(es)).toEqual(['-', '-', 'raise']);
    expect(es[2]!.state.memory['0.1.1']!.samples).toHaveLength(3);
  });
});

describe('evaluateProfile', () => {
  const controller = DEFAULT_PROFILES.fire_alarm_controller.rules;

  test('evaluates every rule for one point, keyed rule@point, and reports transitions', () => {
    const first = evaluateProfile(controller, {}, '1-12', at(0, { fire: true, shielded: false }));
    expect(Object.keys(first.states).sort()).toEqual(['fault@1-12', 'fire@1-12', 'shielded@1-12', 'supervisory@1-12']);
    expect(first.outcomes).toEqual([{ ruleId: 'fire', alarmType: 'fire', severity: 'critical', transition: 'raise' }]);

    const second = evaluateProfile(controller, first.states, '1-13', at(1, { shielded: true }));
    expect(second.states['fire@1-12']).toBe(first.states['fire@1-12']);
    expect(second.outcomes).toEqual([{ ruleId: 'shielded', alarmType: 'shielded', severity: 'major', transition: 'raise' }]);

    const third = evaluateProfile(controller, second.states, '1-12', at(2, { fire: false }));
    expect(third.outcomes.map((o) => `${o.ruleId}:${o.transition}`)).toEqual(['fire:clear']);
  });

  test('single-point devices key on an empty point; a replayed reading yields nothing', () => {
    const rules = DEFAULT_PROFILES.smoke_detector.rules;
    const once = evaluateProfile(rules, {}, undefined, at(0, { alarm: true, batteryPercent: 15 }));
    expect(once.outcomes.map((o) => o.ruleId)).toEqual(['smoke', 'low_battery']);
    expect(Object.keys(once.states)).toContain('smoke@');
    const again = evaluateProfile(rules, once.states, undefined, at(0, { alarm: true, batteryPercent: 15 }));
    expect(again.outcomes).toEqual([]);
    expect(again.states).toEqual(once.states);
  });

  test('states of rules no longer in the profile pass through untouched', () => {
    const old: RuleState = { active: true, since: T0, memory: {}, lastAt: T0 };
    const out = evaluateProfile(controller, { 'retired_rule@1-1': old }, '1-1', at(5, {}));
    expect(out.states['retired_rule@1-1']).toBe(old);
  });
});

test('state keys round-trip', () => {
  expect(ruleStateKey('fire', '1-12')).toBe('fire@1-12');
  expect(parseRuleStateKey('fire@1-12')).toEqual({ ruleId: 'fire', point: '1-12' });
  expect(parseRuleStateKey(ruleStateKey('smoke', undefined))).toEqual({ ruleId: 'smoke', point: undefined });
  expect(parseRuleStateKey('bare')).toEqual({ ruleId: 'bare', point: undefined });
});
