import { DomainError, parseInput } from '@firegov/contracts';
import { DeviceKind } from '../../src/domain/kinds.ts';
import { DEFAULT_PROFILES, profileChangeInput, profileSchema } from '../../src/domain/profiles.ts';
import type { Condition } from '../../src/domain/rule-types.ts';
import { evaluateProfile } from '../../src/domain/rules.ts';

/** The details of the VALIDATION_FAILED a bad input gets, as path → reason. */
function problems(schema: typeof profileSchema | typeof profileChangeInput, input: unknown): Record<string, string> {
  try {
    parseInput(schema, input);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('VALIDATION_FAILED');
    return Object.fromEntries((e as DomainError).details.map((d) => [d.path, d.reason]));
  }
  throw new Error('the input was accepted');
}

const base = {
  kind: 'electrical_fire_monitor',
  version: 1,
  heartbeatSeconds: 300,
  offlineAfterMissed: 3,
  faultHazardDays: 7,
};
const withRule = (when: unknown, extra: Record<string, unknown> = {}) => ({
  ...base,
  rules: [{ id: 'r1', alarmType: 'residual_current', severity: 'major', when, ...extra }],
});

describe('DEFAULT_PROFILES', () => {
  test('there is one for every kind, of that kind, and each passes its own validation unchanged', () => {
    expect(Object.keys(DEFAULT_PROFILES).sort()).toEqual([...DeviceKind.values].sort());
    for (const kind of DeviceKind.values) {
      const profile = DEFAULT_PROFILES[kind];
      expect(profile.kind).toBe(kind);
      expect(parseInput(profileSchema, profile)).toEqual(profile);
    }
  });

  test('every kind except pure water-supply gauges watches its fault bit; fire-signal rules are critical', () => {
    const withFaultBit = DeviceKind.values.filter((k) => DEFAULT_PROFILES[k].rules.some((r) => r.alarmType === 'fault'));
    expect(withFaultBit.sort()).toEqual(['electrical_fire_monitor', 'fire_alarm_controller', 'gas_detector', 'smoke_detector']);
    const fireSignals = DeviceKind.values.flatMap((k) =>
      DEFAULT_PROFILES[k].rules.filter((r) => ['fire', 'smoke'].includes(r.alarmType)),
    );
    expect(fireSignals.length).toBeGreaterThanOrEqual(3);
    expect(fireSignals.every((r) => r.severity === 'critical')).toBe(true);
  });

  test('the electrical monitor raises residual current over 300 mA and clears at 270 mA', () => {
    const rules = DEFAULT_PROFILES.electrical_fire_monitor.rules;
    const t = Date.parse('2026-03-01T00:00:00Z');
    const a = evaluateProfile(rules, {}, '3', { at: t, values: { residualCurrentMa: 320 } });
    const b = evaluateProfile(rules, a.states, '3', { at: t + 1000, values: { residualCurrentMa: 280 } });
    const c = evaluateProfile(rules, b.states, '3', { at: t + 2000, values: { residualCurrentMa: 270 } });
    expect([a, b, c].map((x) => x.outcomes.map((o) => `${o.alarmType}:${o.transition}`))).toEqual([
      ['residual_current:raise'],
      [],
      ['residual_current:clear'],
    ]);
  });

  test('e-bike smoke raises at once, not after the overheat hold', () => {
    const out = evaluateProfile(DEFAULT_PROFILES.ebike_charging_monitor.rules, {}, '1', { at: 0, values: { smoke: true } });
    expect(out.outcomes).toEqual([{ ruleId: 'smoke', alarmType: 'smoke', severity: 'critical', transition: 'raise' }]);
  });
});

describe('profile validation names every bad field', () => {
  test('a measurement the kind does not have, or of the wrong type', () => {
    const p = problems(profileSchema, {
      ...base,
      rules: [
        { id: 'a', alarmType: 'fault', severity: 'major', when: { type: 'state', measurement: 'smoke' } },
        { id: 'b', alarmType: 'fault', severity: 'major', when: { type: 'state', measurement: 'residualCurrentMa' } },
        {
          id: 'c',
          alarmType: 'over_temperature',
          severity: 'major',
          when: { type: 'rate_of_rise', measurement: 'fault', perMinute: 5, windowSeconds: 60 },
        },
      ],
    });
    expect(p).toEqual({
      '$.rules[0].when.measurement': 'is not a measurement of electrical_fire_monitor',
      '$.rules[1].when.measurement': '"residualCurrentMa" is a number; a state condition needs a boolean measurement',
      '$.rules[2].when.measurement': '"fault" is a boolean; a rate_of_rise condition needs a number measurement',
    });
  });

  test('nested conditions are checked at their own paths', () => {
    const when: Condition = {
      type: 'any',
      of: [
        { type: 'state', measurement: 'fault' },
        {
          type: 'all',
          of: [
            { type: 'threshold', measurement: 'levelM', above: 1, clearAt: 0.5 },
            { type: 'threshold', measurement: 'cableTemperatureC', above: 500, clearAt: 70 },
          ],
        },
      ],
    };
    expect(problems(profileSchema, withRule(when))).toEqual({
      '$.rules[0].when.of[1].of[0].measurement': 'is not a measurement of electrical_fire_monitor',
      '$.rules[0].when.of[1].of[1].above': 'must be between -40 and 300 Cel',
    });
  });

  test('threshold: exactly one of above and below, and clearAt on the clearing side', () => {
    const t = (c: Record<string, unknown>) =>
      problems(profileSchema, withRule({ type: 'threshold', measurement: 'residualCurrentMa', ...c }));
    expect(t({ above: 300, below: 100, clearAt: 270 })).toEqual({
      '$.rules[0].when.above': 'give exactly one of "above" and "below"',
    });
    expect(t({ clearAt: 270 })).toEqual({ '$.rules[0].when.above': 'give exactly one of "above" and "below"' });
    expect(t({ above: 300, clearAt: 310 })['$.rules[0].when.clearAt']).toMatch(/must be at most "above"/);
    expect(t({ below: 300, clearAt: 290 })['$.rules[0].when.clearAt']).toMatch(/must be at least "below"/);
    expect(t({ above: 300 })).toEqual({ '$.rules[0].when.clearAt': 'is required' });
  });

  test('shape errors: unknown condition type, unknown keys, combinations of fewer than two, rates out of range', () => {
    expect(problems(profileSchema, withRule({ type: 'sometimes', measurement: 'fault' }))).toEqual({
      '$.rules[0].when.type': 'must be a condition type: one of threshold, state, rate_of_rise, all, any',
    });
    expect(problems(profileSchema, withRule('always'))).toEqual({ '$.rules[0].when': 'must be an object, got string' });
    expect(problems(profileSchema, withRule({ type: 'state', measurement: 'fault', limit: 3 }))['$.rules[0].when']).toMatch(
      /unknown field\(s\) "limit"/,
    );
    expect(problems(profileSchema, withRule({ type: 'all', of: [{ type: 'state', measurement: 'fault' }] }))).toEqual({
      '$.rules[0].when.of': 'must combine at least 2 conditions',
    });
    expect(
      problems(
        profileSchema,
        withRule({ type: 'rate_of_rise', measurement: 'cableTemperatureC', perMinute: 0, windowSeconds: 5 }),
      ),
    ).toEqual({ '$.rules[0].when.perMinute': 'must be more than 0', '$.rules[0].when.windowSeconds': 'must be at least 10' });
  });

  test('conditions nested too deep are refused', () => {
    const leaf: Condition = { type: 'state', measurement: 'fault' };
    let when: Condition = { type: 'all', of: [leaf, leaf] };
    for (let i = 0; i < 4; i++) when = { type: 'any', of: [when, leaf] };
    expect(problems(profileSchema, withRule(when))).toEqual({
      '$.rules[0].when.of[0].of[0].of[0]': 'nests conditions more than 4 deep; split the rule',
    });
  });

  test('rule ids are unique, and the other checks still run beside a bad field', () => {
    const rule = { id: 'dup', alarmType: 'fault', severity: 'major', when: { type: 'state', measurement: 'fault' } };
    const p = problems(profileSchema, {
      ...base,
      heartbeatSeconds: 0,
      rules: [rule, { ...rule, severity: 'urgent' }, { ...rule, when: { type: 'state', measurement: 'nope' } }],
    });
    expect(p['$.heartbeatSeconds']).toBe('must be at least 10');
    expect(p['$.rules[1].severity']).toMatch(/"urgent" is not a known value/);
    expect(p['$.rules[1].id']).toBe('rule id "dup" is used twice');
    expect(p['$.rules[2].id']).toBe('rule id "dup" is used twice');
    expect(p['$.rules[2].when.measurement']).toBe('is not a measurement of electrical_fire_monitor');
  });

  test('lowBatteryPercent only for kinds that report a battery; unknown kind and profile fields', () => {
    expect(problems(profileSchema, { ...base, lowBatteryPercent: 20, rules: [] })).toEqual({
      '$.lowBatteryPercent': 'must be left out: a electrical_fire_monitor reports no battery level',
    });
    const p = problems(profileSchema, { ...base, kind: 'toaster', colour: 'red', rules: [] });
    expect(p['$.kind']).toMatch(/"toaster" is not a known value/);
    expect(p['$']).toMatch(/unknown field\(s\) "colour"/);
  });

  test('a county change carries no version; a stored profile must', () => {
    const { version: _v, ...change } = { ...DEFAULT_PROFILES.gas_detector };
    expect(parseInput(profileChangeInput, change)).toEqual(change);
    expect(problems(profileSchema, change)).toEqual({ '$.version': 'is required' });
    expect(problems(profileChangeInput, DEFAULT_PROFILES.gas_detector)['$']).toMatch(/unknown field\(s\) "version"/);
  });
});
