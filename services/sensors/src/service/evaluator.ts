import { withOutbox, type OutboxEntry, type OutboxRelay } from '@firegov/events';
import { collectionOf, isDuplicateKeyError, type Logger } from '@firegov/kit';
import type { AnyBulkWriteOperation } from 'mongodb';
import { newAlarm, type Alarm, type AlarmStep } from '../domain/alarm.ts';
import { closesOnRestore, SYSTEM_ACTOR } from '../domain/alarm-lifecycle.ts';
import { SINGLE_POINT, type Device, type PointState } from '../domain/device.ts';
import { evaluateProfile } from '../domain/rules.ts';
import { faultConditions } from '../domain/health.ts';
import type { Reading } from '../domain/readings.ts';
import type { AlarmType, RuleState, Severity } from '../domain/rule-types.ts';
import { alarmEvent, deviceEvent, faultResolved } from '../events/outbound.ts';
import type { AlarmDoc, DeviceDoc, ReadingHourDoc, SensorsModels } from '../store/models.ts';
import { bucketUpdate, hourBucketOps } from './reading-hours.ts';
import type { ProfileBook } from './profiles.ts';

export interface ReadingGroup {
  deviceId: string;
  readings: ReadonlyArray<Omit<Reading, 'deviceId'>>;
}

interface RaiseOrClear {
  transition: 'raise' | 'clear';
  alarmType: AlarmType;
  severity: Severity;
  point?: string;
  at: string;
}

const openKey = (deviceId: string, type: string, point: string | undefined) => `${deviceId}|${type}|${point ?? ''}`;

// FerretDB (1.x) refuses arrays inside arrays and field names with a dot, and rule memory has both:
// rate-of-rise samples are [at, value] pairs, and condition paths are "0.1.0". Stored, samples are
// { at, value } objects and paths use "_" ("0_1_0"); they are turned back when read.
type Slot = RuleState['memory'][string];
type StoredSample = { at: number; value: number };

function mapMemory(
  states: Readonly<Record<string, RuleState>>,
  path: (p: string) => string,
  samples: (s: readonly unknown[]) => unknown[],
): Record<string, RuleState> {
  const out: Record<string, RuleState> = {};
  for (const [key, state] of Object.entries(states)) {
    const memory: Record<string, Slot> = {};
    for (const [p, slot] of Object.entries(state.memory))
      memory[path(p)] = slot.samples ? { ...slot, samples: samples(slot.samples) as Array<[number, number]> } : slot;
    out[key] = { ...state, memory };
  }
  return out;
}

const storedRuleStates = (states: Readonly<Record<string, RuleState>>): Record<string, RuleState> =>
  mapMemory(
    states,
    (p) => p.replaceAll('.', '_'),
    (samples) => (samples as Array<[number, number]>).map(([at, value]): StoredSample => ({ at, value })),
  );

const loadedRuleStates = (stored: Readonly<Record<string, RuleState>>): Record<string, RuleState> =>
  mapMemory(
    stored,
    (p) => p.replaceAll('_', '.'),
    (samples) =>
      samples.map((s): [number, number] => {
        if (Array.isArray(s)) return s as [number, number];
        const { at, value } = s as StoredSample;
        return [at, value];
      }),
  );

/**
 * Applies accepted readings a Kafka batch at a time: latest values, hourly buckets, rule state and
 * the alarms the rules raise or clear. A batch costs a few bulk writes whatever its size, which is
 * what lets one evaluator keep up with thousands of readings a second on the local store.
 *
 * Exactly-once effects under redelivery: a reading at or before a point's latest time is skipped
 * (duplicates and replays), and the device's state is written last, so a crash before it replays
 * the batch and raises the same alarm ids again (inserted once). Hourly buckets are written first
 * and may count a replayed reading twice; they are statistics, not records.
 */
export function readingEvaluator(deps: { models: SensorsModels; profiles: ProfileBook; relay: OutboxRelay; logger: Logger }) {
  const { models } = deps;
  const devicesColl = collectionOf(models.devices);
  const alarmsColl = collectionOf(models.alarms);
  const hoursColl = collectionOf(models.readingHours);

  async function openAlarmsOf(deviceIds: readonly string[]): Promise<Map<string, AlarmDoc>> {
    if (deviceIds.length === 0) return new Map();
    const open = await models.alarms
      .find({ deviceId: { $in: [...deviceIds] }, open: true }, { outbox: 0, outboxPending: 0 })
      .lean<AlarmDoc[]>();
    return new Map(open.map((a) => [openKey(a.deviceId, a.type, a.point), a]));
  }

  return {
    async apply(groups: readonly ReadingGroup[]): Promise<{ applied: number; skipped: number; raised: number }> {
      const readingsOf = new Map<string, Array<Omit<Reading, 'deviceId'>>>();
      for (const g of groups) readingsOf.set(g.deviceId, [...(readingsOf.get(g.deviceId) ?? []), ...g.readings]);
      const devices = await models.devices
        .find({ _id: { $in: [...readingsOf.keys()] }, status: 'active' }, { outbox: 0, outboxPending: 0 })
        .lean<DeviceDoc[]>();

      const hourly = new Map<string, ReadingHourDoc>();
      const deviceOps: Array<AnyBulkWriteOperation<DeviceDoc>> = [];
      const changes: Array<{ device: Device; steps: RaiseOrClear[] }> = [];
      const deviceIdsWithEvents: string[] = [];
      let applied = 0;
      let skipped = 0;

      for (const device of devices) {
        const profile = await deps.profiles.get(device.kind);
        const readings = [...(readingsOf.get(device._id) ?? [])].sort((a, b) => a.at.localeCompare(b.at));
        const latest: Record<string, PointState> = { ...device.latest };
        let states: Record<string, RuleState> = loadedRuleStates(device.ruleStates);
        let lastSeenAt = device.lastSeenAt;
        let battery = device.batteryPercent;
        let appliedHere = 0;
        const steps: RaiseOrClear[] = [];
        for (const r of readings) {
          const p = r.point ?? SINGLE_POINT;
          const prev = latest[p];
          if (prev && prev.at >= r.at) {
            skipped += 1;
            continue;
          }
          applied += 1;
          appliedHere += 1;
          latest[p] = { at: r.at, values: { ...prev?.values, ...r.values } };
          if (!lastSeenAt || r.at > lastSeenAt) lastSeenAt = r.at;
          if (typeof r.values.batteryPercent === 'number') battery = r.values.batteryPercent;
          hourBucketOps(hourly, device._id, p, r);
          const ev = evaluateProfile(profile.rules, states, r.point, { at: Date.parse(r.at), values: r.values });
          states = ev.states;
          for (const t of ev.outcomes)
            steps.push({
              transition: t.transition,
              alarmType: t.alarmType,
              severity: t.severity,
              at: r.at,
              ...(r.point ? { point: r.point } : {}),
            });
        }
        // Nothing new for this device (every reading a replay). A point's new reading may be no
        // later than another point's latest (one frame per event from a controller), so lastSeenAt
        // not moving does not mean nothing was applied.
        if (appliedHere === 0 || lastSeenAt === undefined) continue;
        const seen: string = lastSeenAt;

        const events: OutboxEntry[] = [];
        const next: Device = { ...device, latest, ruleStates: states, lastSeenAt, online: true };
        if (!device.online) events.push(deviceEvent('online', next));
        // Conditions that last become hazards (the health sweep reports them); one that ended after
        // being reported resolves its hazard now.
        const active = new Map(
          faultConditions(
            { id: device._id, registeredAt: Date.parse(device.registeredAt), lastSeenAt: Date.parse(seen), ruleStates: states },
            profile,
            Date.parse(seen),
          ).map((c) => [c.condition as string, new Date(c.since).toISOString()]),
        );
        const faults: Device['faults'] = {};
        for (const [condition, since] of active) faults[condition] = device.faults[condition] ?? { since };
        for (const [condition, f] of Object.entries(device.faults)) {
          if (!active.has(condition) && f.reported && device.unitId)
            events.push(faultResolved({ _id: device._id, unitId: device.unitId }, f.reported, seen));
        }
        next.faults = faults;
        deviceOps.push({
          updateOne: {
            filter: { _id: device._id },
            update: withOutbox<DeviceDoc>(
              {
                $set: {
                  latest,
                  ruleStates: storedRuleStates(states),
                  lastSeenAt,
                  online: true,
                  faults,
                  faulty: Object.keys(faults).length > 0,
                  ...(battery !== undefined ? { batteryPercent: battery } : {}),
                },
              },
              events,
            ),
          },
        });
        if (events.length > 0) deviceIdsWithEvents.push(device._id);
        if (steps.length > 0) changes.push({ device: next, steps });
      }

      if (hourly.size > 0)
        await hoursColl.bulkWrite(
          [...hourly.values()].map((h) => ({ updateOne: { filter: { _id: h._id }, update: bucketUpdate(h), upsert: true } })),
          { ordered: false },
        );
      const raised = await writeAlarms(changes);
      if (deviceOps.length > 0) await devicesColl.bulkWrite(deviceOps, { ordered: false });
      if (deviceIdsWithEvents.length > 0) deps.relay.kick(models.devices.collection, deviceIdsWithEvents);
      return { applied, skipped, raised };
    },
  };

  /** Raises new alarms (deterministic ids: a replay inserts nothing), counts repeats, marks restorations. */
  async function writeAlarms(changes: ReadonlyArray<{ device: Device; steps: RaiseOrClear[] }>): Promise<number> {
    if (changes.length === 0) return 0;
    const open = await openAlarmsOf(changes.map((c) => c.device._id));
    const inserts: AlarmDoc[] = [];
    const updates: Array<AnyBulkWriteOperation<AlarmDoc>> = [];
    for (const { device, steps } of changes) {
      for (const s of steps) {
        const key = openKey(device._id, s.alarmType, s.point);
        const current = open.get(key);
        if (s.transition === 'raise') {
          if (current) {
            if (current.lastAt < s.at) {
              updates.push({
                updateOne: {
                  filter: { _id: current._id, open: true },
                  update: { $inc: { repeats: 1 }, $set: { lastAt: s.at }, $unset: { restoredAt: '' } },
                },
              });
              current.lastAt = s.at;
              delete current.restoredAt;
            }
            continue;
          }
          const alarm = newAlarm(device, {
            type: s.alarmType,
            severity: s.severity,
            at: s.at,
            ...(s.point ? { point: s.point } : {}),
          });
          const step = alarm.steps[0] as AlarmStep;
          inserts.push({ ...alarm, outbox: [alarmEvent('raised', alarm, step)], outboxPending: true });
          open.set(key, { ...alarm, outbox: [], outboxPending: false });
        } else if (current && !current.restoredAt) {
          updates.push(...restoreOps(current, s.at));
          current.restoredAt = s.at;
          // Closed by the restore: a raise later in the same batch opens a new alarm.
          if (closesOnRestore(current)) open.delete(key);
        }
      }
    }
    if (inserts.length > 0) {
      try {
        await alarmsColl.insertMany(inserts, { ordered: false });
      } catch (err) {
        // A replayed batch re-raises the alarms it raised before: those inserts are the duplicates.
        const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
        if (!isDuplicateKeyError(err) && !(Array.isArray(writeErrors) && writeErrors.every(isDuplicateKeyError))) throw err;
        deps.logger.debug({ n: inserts.length }, 'alarms of a replayed batch were already raised');
      }
      deps.relay.kickInserted(models.alarms.collection, inserts);
    }
    if (updates.length > 0) {
      await alarmsColl.bulkWrite(updates, { ordered: true });
      deps.relay.kick(
        models.alarms.collection,
        updates.flatMap((u) => ('updateOne' in u ? [u.updateOne.filter._id] : [])),
      );
    }
    return inserts.length;
  }
}

/**
 * The device reports the condition gone (复位): recorded; the alarm closes by itself when the lifecycle
 * allows it (never a fire signal nobody has judged yet).
 */
function restoreOps(alarm: Alarm, at: string): Array<AnyBulkWriteOperation<AlarmDoc>> {
  if (!closesOnRestore(alarm))
    return [{ updateOne: { filter: { _id: alarm._id, open: true }, update: { $set: { restoredAt: at } } } }];
  const step: AlarmStep = { action: 'auto_clear', by: SYSTEM_ACTOR, at, note: 'the device reported the condition gone' };
  const cleared: Alarm = { ...alarm, status: 'cleared', open: false, restoredAt: at, steps: [...alarm.steps, step] };
  return [
    {
      updateOne: {
        filter: { _id: alarm._id, open: true, status: alarm.status },
        update: withOutbox<AlarmDoc>({ $set: { status: 'cleared', open: false, restoredAt: at }, $push: { steps: step } }, [
          alarmEvent('cleared', cleared, step),
        ]),
      },
    },
  ];
}
