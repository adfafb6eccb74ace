import { sensorFaultTopic, sensorsAlarmTopic, sensorsDeviceTopic } from '@firegov/contracts';
import { eventually, type TopicCollector } from '@firegov/testing';
import { DEFAULT_ESCALATION_POLICY } from '../../src/domain/escalation.ts';
import { staffActor } from '../../src/service/devices.ts';
import { sensorClocks, type SensorClocks } from '../../src/service/sweeps.ts';
import type { AlarmDoc, DeviceDoc } from '../../src/store/models.ts';
import { distinctEvents, startSensors, township, type SensorsHarness } from './harness.ts';

// The service's clocks called directly with a travelled clock: escalation of unhandled alarms,
// devices going offline and back, and fault conditions that last becoming hazards and resolving.
// Tests run in order on one timeline (the clock only moves forward).

let h: SensorsHarness;
let events: TopicCollector;
let clocks: SensorClocks;
let gatewayId: string;

beforeAll(async () => {
  h = await startSensors('sensors-clocks');
  events = await h.collect([sensorsAlarmTopic, sensorsDeviceTopic, sensorFaultTopic]);
  ({ gatewayId } = await h.gateway('clocks'));
  clocks = sensorClocks({
    models: h.models,
    profiles: h.services.profiles,
    relay: h.relay,
    now: h.clock.now,
    policy: DEFAULT_ESCALATION_POLICY,
    counted: (ids) => h.services.healthCounts.record(ids),
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const MINUTE = 60_000;
const DAY = 86_400_000;
const travel = (ms: number) => {
  h.clock.t += ms;
};
const nowIso = () => h.clock.now().toISOString();

/** A reading at the clock's now, applied as the evaluator applies a batch. */
const read = (deviceId: string, point: string | undefined, values: Record<string, number | boolean>) =>
  h.services.evaluator.apply([{ deviceId, readings: [{ at: nowIso(), ...(point ? { point } : {}), values }] }]);

/**
 * A device registered now by the township (the gateway's token would have expired on the travelled
 * clock), at the default unit.
 */
async function register(serial: string): Promise<string> {
  const kind = KIND_OF[serial.slice(0, 3)]!;
  const d = await h.services.devices.register(staffActor(township), {
    serial,
    kind,
    name: serial,
    gatewayId,
    unitId: 'u_sensor_1',
  });
  return d._id;
}
const KIND_OF: Record<string, string> = { GAS: 'gas_detector', FAC: 'fire_alarm_controller', EFM: 'electrical_fire_monitor' };

const openAlarm = async (deviceId: string) => (await h.models.alarms.findOne({ deviceId, open: true }).lean<AlarmDoc>())!;
const escalationsOf = async (id: string) =>
  (await h.models.alarms.findById(id).lean<AlarmDoc>())!.escalations.map((e) => [e.level, e.notice, e.at]);
const deviceOf = async (id: string) => (await h.models.devices.findById(id, { outbox: 0 }).lean<DeviceDoc>())!;

/** Events of `type` about `subject` (alarm or fault id) or keyed by `key`, once each. */
const announced = (type: string, match: (data: Record<string, unknown>, m: { key?: string | undefined }) => boolean) =>
  distinctEvents(events.messages).filter(
    (m) => m.envelope?.type === type && match(m.envelope.data as Record<string, unknown>, { key: m.key }),
  );

test('an unacknowledged gas leak climbs the chain: unit manager at once, a reminder, grid manager, township; never twice; acknowledging stops it', async () => {
  const id = await register('GAS-ESC-1');
  const t0 = h.clock.t;
  const at = (minutes: number) => new Date(t0 + minutes * MINUTE).toISOString();
  await read(id, undefined, { lelPercent: 40 });
  const alarm = await openAlarm(id);
  expect(alarm).toMatchObject({ severity: 'critical', raisedAt: at(0) });

  const expected: unknown[] = [];
  for (const [minutes, level, notice] of [
    [0, 'unit_manager', 1],
    [5, 'unit_manager', 2],
    [10, 'grid_manager', 1],
    [30, 'township', 1],
  ] as const) {
    h.clock.t = t0 + minutes * MINUTE;
    await clocks.escalate();
    expected.push([level, notice, at(minutes)]);
    expect(await escalationsOf(alarm._id)).toEqual(expected);
    // A second pass at the same moment (another replica, an overlapping sweep) adds nothing.
    await clocks.escalate();
    expect(await escalationsOf(alarm._id)).toEqual(expected);
  }

  await h.services.alarms.acknowledge(township, alarm._id);
  h.clock.t = t0 + 90 * MINUTE;
  await clocks.escalate();
  expect(await escalationsOf(alarm._id)).toHaveLength(4);

  await eventually(() =>
    expect(
      announced('sensors.alarm.escalated', (d) => d.id === alarm._id).map((m) => {
        const d = m.envelope!.data as { level: string; notice: number; step: { by: string; at: string } };
        return [d.level, d.notice, d.step.at];
      }),
    ).toEqual(expected),
  );
});

test('a fire alarm not judged within the confirmation window goes to the fire brigade, then the township, once each, acknowledged or not', async () => {
  const id = await register('FAC-ESC-1');
  const t1 = h.clock.t;
  await read(id, '1-1', { fire: true });
  const alarm = await openAlarm(id);
  await clocks.escalate();
  expect((await escalationsOf(alarm._id)).map(([level]) => level)).toEqual(['unit_manager']);
  // Acknowledging stops the chain, not the fire path.
  await h.services.alarms.acknowledge(township, alarm._id);

  h.clock.t = t1 + 2 * MINUTE;
  await clocks.escalate();
  expect(await escalationsOf(alarm._id)).toHaveLength(1);

  h.clock.t = t1 + DEFAULT_ESCALATION_POLICY.fireConfirmWindowMinutes * MINUTE;
  const due = nowIso();
  for (let pass = 0; pass < 4; pass += 1) await clocks.escalate();
  expect((await escalationsOf(alarm._id)).slice(1)).toEqual([
    ['fire_brigade', 1, due],
    ['township', 1, due],
  ]);
  h.clock.t = t1 + 20 * MINUTE;
  await clocks.escalate();
  expect(await escalationsOf(alarm._id)).toHaveLength(3);
  await eventually(() =>
    expect(
      announced('sensors.alarm.escalated', (d) => d.id === alarm._id).map((m) => (m.envelope!.data as { level: string }).level),
    ).toEqual(['unit_manager', 'fire_brigade', 'township']),
  );
});

test('a device silent past its profile goes offline once, and comes back online with its next reading', async () => {
  const id = await register('EFM-OFF-1');
  await read(id, '1', { residualCurrentMa: 20 });
  const seen = nowIso();
  expect(await deviceOf(id)).toMatchObject({ online: true, lastSeenAt: seen });

  // 300 s heartbeat × 3 missed: still online at 15 minutes, offline just after.
  travel(15 * MINUTE);
  await clocks.markOffline();
  expect((await deviceOf(id)).online).toBe(true);
  travel(1000);
  await clocks.markOffline();
  await clocks.markOffline();
  expect(await deviceOf(id)).toMatchObject({ online: false, faulty: true, faults: { offline: { since: seen } } });
  await eventually(() => expect(announced('sensors.device.offline', (_d, m) => m.key === id)).toHaveLength(1));

  travel(5 * MINUTE);
  await read(id, '1', { residualCurrentMa: 21 });
  expect(await deviceOf(id)).toMatchObject({ online: true, faulty: false, faults: {}, lastSeenAt: nowIso() });
  await eventually(() => {
    const online = announced('sensors.device.online', (_d, m) => m.key === id);
    // The first reading brought the new device online; the one after the silence brought it back.
    expect(online).toHaveLength(2);
    expect((online[1]!.envelope!.data as { online: boolean }).online).toBe(true);
  });
  expect(announced('sensors.device.offline', (_d, m) => m.key === id)).toHaveLength(1);
});

test('a controller fault lasting past faultHazardDays becomes one hazard, resolved when the fault bit clears', async () => {
  const id = await register('FAC-FLT-1');
  const since = h.clock.t;
  await read(id, '0-0', { fault: true });
  expect((await deviceOf(id)).faults).toEqual({ fault: { since: new Date(since).toISOString() } });

  // Still faulty six days on (the controller keeps reporting it): not yet a hazard.
  travel(6 * DAY);
  await read(id, '0-0', { fault: true });
  await clocks.reportFaults();
  expect((await deviceOf(id)).faults.fault?.reported).toBeUndefined();

  travel(DAY + MINUTE);
  await read(id, '0-0', { fault: true });
  await clocks.reportFaults();
  await clocks.reportFaults();
  const faultId = `${id}_fault_${since}`;
  expect((await deviceOf(id)).faults.fault).toEqual({ since: new Date(since).toISOString(), reported: faultId });
  await eventually(() => {
    const persisted = announced('sensors.fault.persisted', (d) => d.deviceId === id);
    expect(persisted).toHaveLength(1);
    expect(persisted[0]!.envelope!.data).toMatchObject({
      id: faultId,
      unitId: 'u_sensor_1',
      kind: 'fault',
      since: new Date(since).toISOString(),
    });
    expect((persisted[0]!.envelope!.data as { description: string }).description).toContain('0-0');
  });

  travel(MINUTE);
  await read(id, '0-0', { fault: false });
  const resolvedAt = nowIso();
  expect(await deviceOf(id)).toMatchObject({ faults: {}, faulty: false });
  expect(await h.models.alarms.findOne({ deviceId: id, type: 'fault' }).lean()).toMatchObject({
    status: 'cleared',
    restoredAt: resolvedAt,
  });
  await eventually(() =>
    expect(announced('sensors.fault.resolved', (d) => d.deviceId === id).map((m) => m.envelope!.data)).toEqual([
      { id: faultId, deviceId: id, unitId: 'u_sensor_1', resolvedAt },
    ]),
  );
  // Healthy now: later sweeps announce nothing more for it.
  travel(MINUTE);
  await read(id, '0-0', { fault: false });
  await clocks.reportFaults();
  await new Promise((r) => setTimeout(r, 1000));
  expect(announced('sensors.fault.persisted', (d) => d.deviceId === id)).toHaveLength(1);
});

test('a device offline past faultHazardDays becomes an offline hazard, resolved by its next reading', async () => {
  const id = await register('EFM-OFF-2');
  await read(id, '1', { residualCurrentMa: 20 });
  const lastSeen = h.clock.t;
  travel(20 * MINUTE);
  await clocks.markOffline();
  await clocks.reportFaults();
  expect((await deviceOf(id)).faults.offline).toEqual({ since: new Date(lastSeen).toISOString() });

  travel(7 * DAY);
  await clocks.markOffline();
  await clocks.reportFaults();
  await clocks.reportFaults();
  const faultId = `${id}_offline_${lastSeen}`;
  expect((await deviceOf(id)).faults.offline?.reported).toBe(faultId);
  await eventually(() =>
    expect(
      announced('sensors.fault.persisted', (d) => d.deviceId === id).map((m) => [
        m.envelope!.subject,
        (m.envelope!.data as { kind: string }).kind,
      ]),
    ).toEqual([[faultId, 'offline']]),
  );

  await read(id, '1', { residualCurrentMa: 20 });
  const back = nowIso();
  expect(await deviceOf(id)).toMatchObject({ online: true, faults: {}, faulty: false });
  await eventually(() => {
    expect(announced('sensors.fault.resolved', (d) => d.deviceId === id).map((m) => m.envelope!.data)).toEqual([
      { id: faultId, deviceId: id, unitId: 'u_sensor_1', resolvedAt: back },
    ]);
    expect(announced('sensors.device.online', (_d, m) => m.key === id)).toHaveLength(2);
  });
});
