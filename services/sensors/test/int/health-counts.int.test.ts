import type { Identity } from '@firegov/auth';
import { eventually } from '@firegov/testing';
import { staffActor } from '../../src/service/devices.ts';
import { countyAdmin, gridManager, startSensors, testUnit, township, TOWNSHIP, VILLAGE, type SensorsHarness } from './harness.ts';

// The online rate (在线率) is answered from counts kept in Redis; the store's own count is the
// reference: both must agree for every caller and level after registrations, readings (online,
// low battery), a move and a retirement, and after a rebuild from nothing.

const VILLAGE_2 = '500230213202';
let h: SensorsHarness;
let gw: Awaited<ReturnType<SensorsHarness['gateway']>>;
const ids: Record<string, string> = {};

const callers: Identity[] = [countyAdmin, township, gridManager, { ...gridManager, jurisdiction: VILLAGE_2 }];
const levels = ['village', 'township', 'unit'] as const;

beforeAll(async () => {
  h = await startSensors('sensors-health-counts', {
    units: [testUnit('u_hc_1'), testUnit('u_hc_2'), testUnit('u_hc_3', { villageCode: VILLAGE_2 })],
  });
  gw = await h.gateway('counts');
  await h.startEvaluator();
  for (const [name, kind, unit] of [
    ['a', 'smoke_detector', 'u_hc_1'],
    ['b', 'smoke_detector', 'u_hc_1'],
    ['c', 'smoke_detector', 'u_hc_1'],
    ['d', 'smoke_detector', 'u_hc_2'],
    ['e', 'smoke_detector', 'u_hc_3'],
    ['f', 'smoke_detector', 'u_hc_3'],
  ] as const) {
    ids[name] = await h.register(gw, `HC-${name}`, kind, unit);
  }
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

async function expectSameAsStore(): Promise<void> {
  for (const who of callers) {
    for (const level of levels) {
      const counted = await h.services.health.onlineRate(who, level);
      const stored = await h.services.health.fromStore(
        who.jurisdiction,
        level,
        level === 'unit'
          ? (k) => Boolean(k)
          : (k) => (level === 'village' ? /^\d{9}(?!000)\d{3}$/ : /^\d{6}(?!000)\d{3}000$/).test(k),
      );
      expect({ who: who.jurisdiction, level, rows: counted }).toEqual({ who: who.jurisdiction, level, rows: stored });
    }
  }
}

const villageRows = async () =>
  Object.fromEntries((await h.services.health.onlineRate(township, 'village')).map((r) => [r.key, r]));

test('registered devices are counted at once, offline until heard from', async () => {
  expect(await h.services.healthCounts.rows(TOWNSHIP, 'divisions', () => true)).not.toBeNull();
  expect(await villageRows()).toEqual({
    [VILLAGE]: { key: VILLAGE, total: 4, online: 0, lowBattery: 0 },
    [VILLAGE_2]: { key: VILLAGE_2, total: 2, online: 0, lowBattery: 0 },
  });
  await expectSameAsStore();
});

test('readings bring devices online and low batteries are counted; a move and a retirement move the counts', async () => {
  const at = new Date(h.clock.t - 60_000).toISOString();
  const readings = [
    { deviceId: ids.a!, at, values: { alarm: false, batteryPercent: 80 } },
    { deviceId: ids.b!, at, values: { alarm: false, batteryPercent: 10 } },
    { deviceId: ids.e!, at, values: { alarm: false, batteryPercent: 5 } },
  ];
  expect((await h.send(gw, readings)).status).toBe(202);
  for (const r of readings) await h.applied(r.deviceId, at);
  await eventually(async () =>
    expect(await villageRows()).toEqual({
      [VILLAGE]: { key: VILLAGE, total: 4, online: 2, lowBattery: 1 },
      [VILLAGE_2]: { key: VILLAGE_2, total: 2, online: 1, lowBattery: 1 },
    }),
  );

  // b (online, low) moves to the other village's unit; c is retired.
  await h.services.devices.move(staffActor(township), { id: ids.b!, unitId: 'u_hc_3', place: '二楼' });
  await h.services.devices.retire(staffActor(township), ids.c!);
  expect(await villageRows()).toEqual({
    [VILLAGE]: { key: VILLAGE, total: 2, online: 1, lowBattery: 0 },
    [VILLAGE_2]: { key: VILLAGE_2, total: 3, online: 2, lowBattery: 2 },
  });
  const units = Object.fromEntries((await h.services.health.onlineRate(gridManager, 'unit')).map((r) => [r.key, r.total]));
  expect(units).toEqual({ u_hc_1: 1, u_hc_2: 1 });
  await expectSameAsStore();
}, 60_000);

test('without counts the store answers; a rebuild from nothing counts the same', async () => {
  const before = await h.services.health.onlineRate(countyAdmin, 'village');
  for await (const keys of h.redis.scanStream({ match: `test:${h.ns.id}:health:*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await h.redis.unlink(...keys);
  }
  expect(await h.services.healthCounts.rows(countyAdmin.jurisdiction, 'divisions', () => true)).toBeNull();
  expect(await h.services.health.onlineRate(countyAdmin, 'village')).toEqual(before);
  expect(await h.services.healthCounts.rebuild()).toBe(6);
  expect(await h.services.healthCounts.rows(countyAdmin.jurisdiction, 'divisions', () => true)).not.toBeNull();
  expect(await h.services.health.onlineRate(countyAdmin, 'village')).toEqual(before);
  await expectSameAsStore();
}, 60_000);
