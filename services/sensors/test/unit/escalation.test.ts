import { parseInput, type DomainError } from '@firegov/contracts';
import type { AlarmStatus } from '../../src/domain/alarm-lifecycle.ts';
import {
  DEFAULT_ESCALATION_POLICY as POLICY,
  escalationPolicySchema,
  nextEscalation,
  type EscalatingAlarm,
  type Escalation,
} from '../../src/domain/escalation.ts';
import type { AlarmType, Severity } from '../../src/domain/rule-types.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-03-01T08:00:00.000Z');

const alarm = (type: AlarmType, severity: Severity, status: AlarmStatus = 'raised'): EscalatingAlarm => ({
  type,
  severity,
  status,
  raisedAt: T0,
  escalations: [],
});

/** A sweep at minute `m`: takes every step due (recording each, as the service does) until null. */
function sweep(a: EscalatingAlarm, m: number, policy = POLICY): string[] {
  const now = T0 + m * MIN;
  const sent: string[] = [];
  for (let step = nextEscalation(a, policy, now); step; step = nextEscalation(a, policy, now)) {
    (a.escalations as Escalation[]).push({ ...step, at: now });
    sent.push(`${step.level}#${step.notice}`);
  }
  return sent;
}

/** Sweeps once a minute from 0 to `until`; returns what each minute sent, minutes with nothing left out. */
function timeline(a: EscalatingAlarm, until: number, policy = POLICY): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (let m = 0; m <= until; m++) {
    const sent = sweep(a, m, policy);
    if (sent.length > 0) out[m] = sent;
  }
  return out;
}

test('an unacknowledged critical alarm: unit manager at once, reminders, grid member, township', () => {
  expect(timeline(alarm('gas_leak', 'critical'), 40)).toEqual({
    0: ['unit_manager#1'],
    5: ['unit_manager#2'],
    10: ['grid_manager#1'],
    15: ['grid_manager#2'],
    20: ['grid_manager#3'],
    25: ['grid_manager#4'],
    30: ['township#1'],
    35: ['township#2'],
    40: ['township#3'],
  });
});

test('severity caps the chain: major stops at the grid member, minor at the unit manager', () => {
  const major = timeline(alarm('residual_current', 'major'), 40);
  expect(Object.values(major).flat()).not.toContain('township#1');
  expect(major[10]).toEqual(['grid_manager#1']);
  const minor = timeline(alarm('low_battery', 'minor'), 40);
  expect(
    new Set(
      Object.values(minor)
        .flat()
        .map((s) => s.split('#')[0]),
    ),
  ).toEqual(new Set(['unit_manager']));
  expect(minor[40]).toEqual(['unit_manager#9']);
});

test('idempotent: a second call at the same time sends nothing; without recording, the same step again', () => {
  const a = alarm('gas_leak', 'critical');
  expect(sweep(a, 0)).toEqual(['unit_manager#1']);
  expect(sweep(a, 0)).toEqual([]);
  expect(nextEscalation(a, POLICY, T0 + 5 * MIN)).toEqual(nextEscalation(a, POLICY, T0 + 5 * MIN));
});

test('after a clock jump, each due level once in order and one reminder, not every missed one', () => {
  const a = alarm('gas_leak', 'critical');
  expect(sweep(a, 600)).toEqual(['unit_manager#1', 'grid_manager#1', 'township#1']);
  expect(sweep(a, 604)).toEqual([]);
  expect(sweep(a, 900)).toEqual(['township#2']);
});

test('acknowledging stops the chain; a cleared alarm is never escalated', () => {
  const a = alarm('gas_leak', 'critical');
  sweep(a, 0);
  expect(sweep({ ...a, status: 'acknowledged' }, 60)).toEqual([]);
  expect(sweep({ ...a, status: 'confirmed' }, 60)).toEqual([]);
  expect(sweep({ ...alarm('fire', 'critical'), status: 'cleared' }, 60)).toEqual([]);
});

describe('fire signals', () => {
  test('unjudged past the window: fire brigade and township at once, then the chain goes on', () => {
    expect(timeline(alarm('smoke', 'critical'), 12)).toEqual({
      0: ['unit_manager#1'],
      3: ['fire_brigade#1', 'township#1'],
      // Reminders now go to the highest chain level told, the township; the grid member still hears at 10.
      8: ['township#2'],
      10: ['grid_manager#1'],
    });
  });

  test('acknowledged but not judged in the window still goes to the brigade, with no reminders', () => {
    const a = alarm('fire', 'critical');
    sweep(a, 0);
    a.status = 'acknowledged';
    expect(timeline(a, 60)).toEqual({ 3: ['fire_brigade#1', 'township#1'] });
  });

  test('confirmed as a real fire: brigade and township at once, whatever the window', () => {
    const a = alarm('fire', 'critical', 'confirmed');
    expect(sweep(a, 1)).toEqual(['fire_brigade#1', 'township#1']);
    expect(sweep(a, 30)).toEqual([]);
  });

  test('marked false inside the window: nobody further is told', () => {
    const a = alarm('smoke', 'critical');
    sweep(a, 0);
    a.status = 'false_alarm';
    expect(timeline(a, 60)).toEqual({});
  });

  test('a fire signal raised late in a sweep catches up brigade first', () => {
    expect(sweep(alarm('fire', 'critical'), 20)).toEqual(['fire_brigade#1', 'township#1', 'unit_manager#1', 'grid_manager#1']);
  });
});

test('the policy is configurable and validated', () => {
  const fast = { ...POLICY, reminderEveryMinutes: 2, gridManagerAfterMinutes: 4, townshipAfterMinutes: 6 };
  expect(parseInput(escalationPolicySchema, fast)).toEqual(fast);
  expect(timeline(alarm('gas_leak', 'critical'), 6, fast)).toEqual({
    0: ['unit_manager#1'],
    2: ['unit_manager#2'],
    4: ['grid_manager#1'],
    6: ['township#1'],
  });
  expect(parseInput(escalationPolicySchema, POLICY)).toEqual(POLICY);
  let error: DomainError | undefined;
  try {
    parseInput(escalationPolicySchema, {
      ...POLICY,
      townshipAfterMinutes: 10,
      reminderEveryMinutes: 0,
      topLevel: { critical: 'fire_brigade' },
    });
  } catch (e) {
    error = e as DomainError;
  }
  expect(Object.fromEntries(error!.details.map((d) => [d.path, d.reason]))).toEqual({
    '$.reminderEveryMinutes': 'must be more than 0',
    '$.townshipAfterMinutes': 'must be later than gridManagerAfterMinutes',
    '$.topLevel.critical': expect.stringMatching(/unit_manager/),
    '$.topLevel.major': 'is required',
    '$.topLevel.minor': 'is required',
  });
});
