import { withOutbox, type OutboxEntry, type OutboxRelay } from '@firegov/events';
import { bulkWriteInChunks, collectionOf, type Logger } from '@firegov/kit';
import type { AnyBulkWriteOperation } from 'mongodb';
import { SINGLE_POINT, type Device, type PointState } from '../domain/device.ts';
import { faultConditions } from '../domain/health.ts';
import type { Reading } from '../domain/readings.ts';
import type { RuleState } from '../domain/rule-types.ts';
import { evaluateProfile } from '../domain/rules.ts';
import { deviceEvent, faultResolved } from '../events/outbound.ts';
import type { DeviceDoc, ReadingHourDoc, SensorsModels } from '../store/models.ts';
import { alarmWriter, type RaiseOrClear } from './alarm-writer.ts';
import type { ProfileBook } from './profiles.ts';
import { bucketUpdate, hourBucketOps } from './reading-hours.ts';
import { loadedRuleStates, storedRuleStates } from './rule-memory.ts';

/** Buckets held before a write regardless of time, so memory stays bounded under a flood. */
const MAX_PENDING_BUCKETS = 5000;

export interface ReadingGroup {
  deviceId: string;
  readings: ReadonlyArray<Omit<Reading, 'deviceId'>>;
}

/**
 * Applies accepted readings a Kafka batch at a time: latest values, hourly buckets, rule state and
 * the alarms the rules raise or clear. A batch costs a few bulk writes whatever its size, which is
 * what lets one evaluator keep up with thousands of readings a second on the local store.
 *
 * Exactly-once effects under redelivery: a reading at or before a point's latest time is skipped
 * (duplicates and replays), and the device's state is written last, so a crash before it replays
 * the batch and raises the same alarm ids again (inserted once).
 *
 * Hourly buckets are statistics, not records: they are kept in memory and written every
 * `bucketFlushMs` (and on stop), one upsert per device, point and hour however many readings it
 * had, which halves what each batch writes. A crash loses at most that much of them, and a replay
 * may count a reading twice.
 */
export function readingEvaluator(deps: {
  models: SensorsModels;
  profiles: ProfileBook;
  relay: OutboxRelay;
  logger: Logger;
  /** How long hourly buckets wait in memory before they are written. */
  bucketFlushMs?: number;
  now?: () => number;
}) {
  const { models } = deps;
  const devicesColl = collectionOf(models.devices);
  const hoursColl = collectionOf(models.readingHours);

  const alarms = alarmWriter(deps);
  const bucketFlushMs = deps.bucketFlushMs ?? 5000;
  const clock = deps.now ?? Date.now;
  let pendingHours = new Map<string, ReadingHourDoc>();
  let lastBucketFlush = clock();

  /** Writes the hourly buckets gathered so far (one upsert per device, point and hour). */
  async function flushBuckets(): Promise<void> {
    const buckets = [...pendingHours.values()];
    pendingHours = new Map();
    lastBucketFlush = clock();
    if (buckets.length === 0) return;
    await bulkWriteInChunks(
      hoursColl,
      buckets.map((h) => ({ updateOne: { filter: { _id: h._id }, update: bucketUpdate(h), upsert: true } })),
      { ordered: false },
    );
  }

  return {
    async apply(groups: readonly ReadingGroup[]): Promise<{ applied: number; skipped: number; raised: number }> {
      const readingsOf = new Map<string, Array<Omit<Reading, 'deviceId'>>>();
      for (const g of groups) readingsOf.set(g.deviceId, [...(readingsOf.get(g.deviceId) ?? []), ...g.readings]);
      const devices = await models.devices
        .find({ _id: { $in: [...readingsOf.keys()] }, status: 'active' }, { outbox: 0, outboxPending: 0 })
        .lean<DeviceDoc[]>();

      const hourly = pendingHours;
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

      const raised = await alarms.write(changes);
      await bulkWriteInChunks(devicesColl, deviceOps, { ordered: false });
      if (pendingHours.size >= MAX_PENDING_BUCKETS || clock() - lastBucketFlush >= bucketFlushMs) await flushBuckets();
      if (deviceIdsWithEvents.length > 0) deps.relay.kick(models.devices.collection, deviceIdsWithEvents);
      return { applied, skipped, raised };
    },

    /** Writes what is still held in memory; the consumer's stop calls it before leaving the group. */
    flush: flushBuckets,
  };
}
