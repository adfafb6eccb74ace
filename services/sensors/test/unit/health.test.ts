import { DomainError } from '@firegov/contracts';
import {
  dueFaultHazards,
  healthPlacements,
  healthRows,
  faultConditions,
  isOffline,
  offlineAfterMs,
  onlineRate,
  resolvedFaults,
  type ActiveFault,
  type DeviceHealthState,
} from '../../src/domain/health.ts';
import { DEFAULT_PROFILES } from '../../src/domain/profiles.ts';
import type { RuleState } from '../../src/domain/rule-types.ts';
import { evaluateProfile } from '../../src/domain/rules.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const controller = DEFAULT_PROFILES.fire_alarm_controller; // heartbeat 60 s, offline after 3 missed
const active = (since: number): RuleState => ({ active: true, since, memory: {}, lastAt: since });

const device = (over: Partial<DeviceHealthState> = {}): DeviceHealthState => ({
  id: 'dev1',
  registeredAt: T0 - 30 * DAY,
  lastSeenAt: T0,
  ruleStates: {},
  ...over,
});

describe('isOffline', () => {
  test('offline once silent for more than heartbeat × missed', () => {
    expect(offlineAfterMs(controller)).toBe(3 * MIN);
    expect(isOffline(T0, controller, T0 + 3 * MIN)).toBe(false);
    expect(isOffline(T0, controller, T0 + 3 * MIN + 1)).toBe(true);
    expect(offlineAfterMs(DEFAULT_PROFILES.smoke_detector)).toBe(2 * DAY);
  });

  test('a device never heard from is offline', () => {
    expect(isOffline(undefined, controller, T0)).toBe(true);
  });
});

describe('faultConditions', () => {
  test('nothing while the device reports and no health rule is active', () => {
    const states = { 'fire@1-1': active(T0 - DAY), 'supervisory@1-2': active(T0 - DAY) };
    expect(faultConditions(device({ ruleStates: states }), controller, T0 + MIN)).toEqual([]);
  });

  test('offline counts from the last reading, or from registration when there was none', () => {
    expect(faultConditions(device(), controller, T0 + 10 * MIN)).toEqual([
      { deviceId: 'dev1', condition: 'offline', since: T0, points: [] },
    ]);
    expect(faultConditions(device({ lastSeenAt: undefined }), controller, T0)).toEqual([
      { deviceId: 'dev1', condition: 'offline', since: T0 - 30 * DAY, points: [] },
    ]);
  });

  test('one entry per condition, since the earliest point, naming the points; pending and retired rules do not count', () => {
    const states: Record<string, RuleState> = {
      'shielded@2-7': active(T0 - 2 * DAY),
      'shielded@1-3': active(T0 - 5 * DAY),
      'shielded@1-4': { active: false, memory: {}, lastAt: T0 },
      'fault@0-0': active(T0 - DAY),
      'old_rule@1-1': active(T0 - 9 * DAY),
    };
    expect(faultConditions(device({ ruleStates: states }), controller, T0 + 10 * MIN)).toEqual([
      { deviceId: 'dev1', condition: 'offline', since: T0, points: [] },
      { deviceId: 'dev1', condition: 'fault', since: T0 - DAY, points: ['0-0'] },
      { deviceId: 'dev1', condition: 'shielded', since: T0 - 5 * DAY, points: ['1-3', '2-7'] },
    ]);
  });

  test('low pressure comes from the rule engine once its duration has passed', () => {
    const profile = DEFAULT_PROFILES.sprinkler_pressure;
    const first = evaluateProfile(profile.rules, {}, undefined, { at: T0, values: { pressureMpa: 0.02 } });
    const pending = device({ lastSeenAt: T0, ruleStates: first.states });
    expect(faultConditions(pending, profile, T0 + MIN)).toEqual([]);
    const held = evaluateProfile(profile.rules, first.states, undefined, { at: T0 + MIN, values: { pressureMpa: 0.02 } });
    expect(faultConditions(device({ lastSeenAt: T0 + MIN, ruleStates: held.states }), profile, T0 + MIN)).toEqual([
      { deviceId: 'dev1', condition: 'low_pressure', since: T0, points: [] },
    ]);
  });
});

describe('fault hazards', () => {
  const profile = { faultHazardDays: 7 };
  const shielded: ActiveFault = { deviceId: 'dev1', condition: 'shielded', since: T0, points: ['1-3', '2-7'] };
  const offline: ActiveFault = { deviceId: 'dev1', condition: 'offline', since: T0 + DAY, points: [] };

  test('due once a condition has lasted faultHazardDays, with a deterministic id and the topic kind', () => {
    expect(dueFaultHazards([shielded, offline], profile, T0 + 7 * DAY - 1, [])).toEqual([]);
    const due = dueFaultHazards([shielded, offline], profile, T0 + 7 * DAY, []);
    expect(due).toEqual([
      {
        id: `dev1_shielded_${T0}`,
        deviceId: 'dev1',
        condition: 'shielded',
        kind: 'panel_disabled',
        since: T0,
        description: '部件屏蔽/隔离（点位 1-3、2-7），自 2026-03-01T00:00:00.000Z 起，持续超过 7 天',
      },
    ]);
    expect(dueFaultHazards([offline], profile, T0 + 8 * DAY, [])[0]).toMatchObject({
      id: `dev1_offline_${T0 + DAY}`,
      kind: 'offline',
      description: '设备离线，最后上报 2026-03-02T00:00:00.000Z，持续超过 7 天',
    });
  });

  test('long point lists are cut short in the description', () => {
    const many: ActiveFault = { ...shielded, points: Array.from({ length: 12 }, (_, i) => `1-${i + 1}`) };
    expect(dueFaultHazards([many], profile, T0 + 7 * DAY, [])[0]!.description).toMatch(/1-10 等 12 个）/);
  });

  test('a condition already announced for the device is not announced again, even if its since moved', () => {
    const reported = [{ id: `dev1_shielded_${T0 - DAY}`, deviceId: 'dev1', condition: 'shielded' as const }];
    expect(dueFaultHazards([shielded], profile, T0 + 30 * DAY, reported)).toEqual([]);
    const otherDevice = [{ ...reported[0]!, deviceId: 'dev2' }];
    expect(dueFaultHazards([shielded], profile, T0 + 30 * DAY, otherDevice)).toHaveLength(1);
  });

  test('announced faults resolve when their condition is no longer active', () => {
    const reported = [
      { id: 'dev1_shielded_1', deviceId: 'dev1', condition: 'shielded' as const },
      { id: 'dev1_fault_1', deviceId: 'dev1', condition: 'fault' as const },
    ];
    expect(resolvedFaults(reported, [shielded, offline])).toEqual([reported[1]]);
    expect(resolvedFaults(reported, [])).toEqual(reported);
  });

  test('a zero-day profile makes a hazard as soon as the fault is seen', () => {
    expect(dueFaultHazards([shielded], { faultHazardDays: 0 }, T0, [])).toHaveLength(1);
  });
});

test('onlineRate', () => {
  expect(onlineRate({ online: 19, total: 20 })).toBe(0.95);
  expect(onlineRate({ online: 2, total: 3 })).toBe(0.6667);
  expect(onlineRate({ online: 0, total: 0 })).toBeNull();
  expect(() => onlineRate({ online: 5, total: 4 })).toThrow(DomainError);
  expect(() => onlineRate({ online: -1, total: 4 })).toThrow(/0 ≤ online ≤ total/);
});

describe('online-rate placements', () => {
  const device = {
    status: 'active' as const,
    scope: ['500230000000', '500230213000', '500230213201'],
    online: true,
    unitId: 'u1',
  };

  test('an active device counts under every code of its scope, per division and for its unit', () => {
    const p = healthPlacements({ ...device, batteryPercent: 15 }, 20);
    expect(p.divisions?.codes).toEqual(device.scope);
    expect(p.divisions?.cells).toContain('500230213201|low');
    expect(p.divisions?.cells).toHaveLength(9);
    expect(p.units).toEqual({ codes: device.scope, cells: ['u1|total', 'u1|online', 'u1|low'] });
  });

  test('a retired device counts nowhere; a battery at the level is not low; no unit, no unit cells', () => {
    expect(healthPlacements({ ...device, status: 'retired' }, 20)).toEqual({ divisions: null, units: null });
    expect(healthPlacements({ ...device, batteryPercent: 20 }, 20).divisions?.cells).not.toContain('500230213201|low');
    expect(healthPlacements({ ...device, unitId: undefined, online: false }, 20)).toMatchObject({
      units: null,
      divisions: { cells: ['500230000000|total', '500230213000|total', '500230213201|total'] },
    });
  });

  test('rows come from counted cells, for the kept keys only, by key', () => {
    const cells = new Map([
      ['500230213202|total', 2],
      ['500230213201|total', 3],
      ['500230213201|online', 1],
      ['500230213201|low', 1],
      ['500230213000|total', 5],
    ]);
    expect(healthRows(cells, (k) => k.endsWith('201') || k.endsWith('202'))).toEqual([
      { key: '500230213201', total: 3, online: 1, lowBattery: 1 },
      { key: '500230213202', total: 2, online: 0, lowBattery: 0 },
    ]);
  });
});
