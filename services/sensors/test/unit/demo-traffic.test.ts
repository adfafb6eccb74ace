import { idSchema } from '@firegov/contracts';
import { deviceIdOf } from '../../src/domain/device.ts';
import { DEFAULT_PROFILES } from '../../src/domain/profiles.ts';
import { checkReading } from '../../src/domain/readings.ts';
import type { RuleState } from '../../src/domain/rule-types.ts';
import { evaluateProfile } from '../../src/domain/rules.ts';
import { DEMO_GATEWAY_ID } from '../../src/demo/demo-gateway.ts';
import { planFleet, type DemoUnit } from '../../src/demo/fleet.ts';
import {
  isFaulty,
  isSilent,
  kindCountsOf,
  readingsAt,
  REPORT_EVERY_TICKS,
  simFleet,
  TICK_MS,
  uitdStepsAt,
  type OutgoingReading,
  type SimDevice,
} from '../../src/demo/traffic.ts';

const CATEGORIES = ['small_venue', 'restaurant', 'high_rise', 'group_rental', 'supermarket', 'hotel', 'school'];
const units: DemoUnit[] = Array.from({ length: 300 }, (_, i) => ({
  _id: `u_demo${String(i).padStart(4, '0')}`,
  category: CATEGORIES[i % CATEGORIES.length] as string,
  keyUnit: i % 10 === 0,
  highRise: i % 14 === 0,
}));
const households = Array.from({ length: 100 }, (_, i) => ({ _id: `h_demo${String(i).padStart(4, '0')}` }));
const plan = planFleet(units, households);
const fleet: SimDevice[] = simFleet(
  plan.devices.map((d) => ({ _id: deviceIdOf(DEMO_GATEWAY_ID, d.serial), kind: d.kind, serial: d.serial })),
);
const counts = kindCountsOf(fleet);
const byId = new Map(fleet.map((d) => [d.id, d]));
const START = Math.floor(Date.parse('2026-03-01T08:00:00.000Z') / TICK_MS);
/** 30 minutes of demo traffic. */
const TICKS = 900;
const traffic: Array<{ tick: number; readings: OutgoingReading[] }> = Array.from({ length: TICKS }, (_, i) => ({
  tick: START + i,
  readings: readingsAt(fleet, START + i, START, counts),
}));
const all = traffic.flatMap((t) => t.readings);

describe('the demo fleet plan', () => {
  test('a few hundred devices of every kind, household detectors, controllers bound to eight UITDs', () => {
    expect(plan.devices.length).toBeGreaterThan(300);
    expect(new Set(plan.devices.map((d) => d.kind)).size).toBe(8);
    expect(plan.devices.filter((d) => d.householdId)).toHaveLength(80);
    const controllers = plan.devices.filter((d) => d.kind === 'fire_alarm_controller');
    expect(controllers).toHaveLength(12);
    expect(plan.uitds).toHaveLength(8);
    for (const c of controllers) expect(plan.uitds.map((u) => u.address)).toContain(c.uitd?.address);
    expect(new Set(controllers.map((c) => `${c.uitd?.address}/${c.uitd?.system}`)).size).toBe(12);
    for (const u of plan.uitds) expect(u.address).toMatch(/^[0-9a-f]{12}$/);
  });

  test('is the same whatever order the units come in, and its device ids are valid ids', () => {
    const again = planFleet([...units].reverse(), [...households].reverse());
    expect(again).toEqual(plan);
    expect(new Set(plan.devices.map((d) => d.serial)).size).toBe(plan.devices.length);
    for (const d of plan.devices) expect(idSchema.safeParse(deviceIdOf(DEMO_GATEWAY_ID, d.serial)).success).toBe(true);
  });

  test('gas detectors go to restaurants and hotels, and a county without households gets unit devices only', () => {
    const unitOf = new Map(units.map((u) => [u._id, u]));
    for (const d of plan.devices.filter((x) => x.kind === 'gas_detector' && x.unitId))
      expect(['restaurant', 'hotel']).toContain(unitOf.get(d.unitId!)?.category);
    expect(planFleet(units, []).devices.some((d) => d.householdId)).toBe(false);
    expect(planFleet([], households).devices).toEqual([]);
  });
});

describe('the demo traffic', () => {
  test('every reading is one ingest accepts for its device kind', () => {
    const now = new Date((START + TICKS) * TICK_MS);
    const window = { maxAgeMs: 72 * 3_600_000, maxSkewMs: 300_000 };
    const refused = all.flatMap((r, i) => {
      const d = byId.get(r.deviceId)!;
      const device = { id: d.id, kind: d.kind, gatewayId: DEMO_GATEWAY_ID, status: 'active' as const };
      const checked = checkReading(r, i, { device, gatewayId: DEMO_GATEWAY_ID, now, window });
      return 'refused' in checked ? [checked.refused] : [];
    });
    expect(refused).toEqual([]);
  });

  test('stays near 50 readings a second, never more than one batch a tick, and no point repeats a time', () => {
    const perSecond = all.length / ((TICKS * TICK_MS) / 1000);
    expect(perSecond).toBeGreaterThan(35);
    expect(perSecond).toBeLessThan(70);
    for (const t of traffic) {
      expect(t.readings.length).toBeLessThanOrEqual(1000);
      const keys = t.readings.map((r) => `${r.deviceId}|${r.point ?? ''}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  test('brings alarms round: smoke, residual current over 300 mA, gas, e-bike overheating, low hydrant pressure', () => {
    expect(all.some((r) => r.values.alarm === true)).toBe(true);
    expect(all.some((r) => typeof r.values.residualCurrentMa === 'number' && r.values.residualCurrentMa > 300)).toBe(true);
    expect(all.some((r) => typeof r.values.lelPercent === 'number' && r.values.lelPercent > 25)).toBe(true);
    expect(all.some((r) => typeof r.values.temperatureC === 'number' && r.values.temperatureC > 60)).toBe(true);
    expect(all.some((r) => typeof r.values.pressureMpa === 'number' && r.values.pressureMpa < 0.1)).toBe(true);
  });

  test("through the default profiles it raises the episodes' alarms, and no rate-of-rise from normal drift", () => {
    const states = new Map<string, Record<string, RuleState>>();
    const raised = new Set<string>();
    for (const r of all) {
      const d = byId.get(r.deviceId)!;
      const ev = evaluateProfile(DEFAULT_PROFILES[d.kind].rules, states.get(d.id) ?? {}, r.point, {
        at: Date.parse(r.at),
        values: r.values,
      });
      states.set(d.id, ev.states);
      for (const o of ev.outcomes) if (o.transition === 'raise') raised.add(o.alarmType);
    }
    expect([...raised].sort()).toEqual(
      ['charging_overheat', 'fault', 'gas_leak', 'low_battery', 'low_pressure', 'residual_current', 'smoke'].sort(),
    );
  });

  test('a smoke alarm is followed by its clearing from the same detector', () => {
    const alarm = all.find((r) => r.values.alarm === true)!;
    const later = all.filter((r) => r.deviceId === alarm.deviceId && r.at > alarm.at);
    expect(later[0]?.values.alarm).toBeDefined();
    expect(later.some((r) => r.values.alarm === false)).toBe(true);
  });

  test('faulty devices always report their fault; silent ones stop after their first report', () => {
    const faulty = fleet.filter(isFaulty);
    expect(faulty.length).toBeGreaterThan(3);
    for (const d of faulty) {
      const own = all.filter((r) => r.deviceId === d.id);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((r) => r.values.fault === true)).toBe(true);
    }
    const silent = fleet.filter(isSilent);
    expect(silent.length).toBeGreaterThan(3);
    for (const d of silent) {
      const ticks = traffic.filter((t) => t.readings.some((r) => r.deviceId === d.id)).map((t) => t.tick - START);
      expect(ticks.length).toBeGreaterThan(0);
      expect(Math.max(...ticks)).toBeLessThan(REPORT_EVERY_TICKS);
    }
  });
});

describe('the demo transmission devices', () => {
  const steps = (i: number) =>
    Array.from({ length: TICKS }, (_, k) => uitdStepsAt(i, 8, [1, 2], START + k, START).map((s) => ({ tick: k, ...s }))).flat();

  test('open with their state; the last hangs up and says nothing more', () => {
    expect(steps(0)[0]).toMatchObject({ tick: 0, kind: 'open', systems: [1, 2] });
    expect(steps(7).map((s) => s.kind)).toEqual(['open', 'hang_up']);
  });

  test('heartbeat every 20 s; a fire on a loop point is followed by its restoration on the same point', () => {
    const all7 = [0, 1, 2, 3, 4, 5, 6].flatMap(steps);
    const heartbeats = steps(2).filter((s) => s.kind === 'heartbeat');
    expect(heartbeats.length).toBeGreaterThanOrEqual(TICKS / 10 - 1);
    const fires = all7.filter((s) => s.kind === 'component' && s.fire === true);
    expect(fires.length).toBeGreaterThan(5);
    for (const f of fires.filter((x) => x.tick < TICKS - 10))
      expect(all7).toContainEqual({ ...f, tick: f.tick + 5, fire: false });
    expect(all7.some((s) => s.kind === 'component' && s.fault === true)).toBe(true);
  });
});
