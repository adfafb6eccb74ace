import { withOutbox, type OutboxEntry, type OutboxRelay } from '@firegov/events';
import { bulkWriteInChunks, collectionOf, type Logger } from '@firegov/kit';
import type { AnyBulkWriteOperation } from 'mongodb';
import { NO_LIVE_STATE, SINGLE_POINT, type Device, type DeviceLive, type PointState } from '../domain/device.ts';
import { faultConditions, lastSeenRefreshMs, LOW_BATTERY_PERCENT } from '../domain/health.ts';
import { withReading, type HourBucket } from '../domain/hour-buckets.ts';
import type { Reading } from '../domain/readings.ts';
import type { RuleState } from '../domain/rule-types.ts';
import { evaluateProfile } from '../domain/rules.ts';
import { deviceEvent, faultResolved } from '../events/outbound.ts';
import type { DeviceDoc, ReadingHourDoc, SensorsModels } from '../store/models.ts';
import { alarmQueue } from './alarm-queue.ts';
import { alarmWriter, type RaiseOrClear } from './alarm-writer.ts';
import { liveDevices } from './live-state.ts';
import { liveStore } from './live-store.ts';
import type { ProfileBook } from './profiles.ts';
import { closedHour, closedHourWrites } from './reading-hours.ts';

/**
 * How long a held device document is trusted at a checkpoint when its health does not change. A
 * device whose health changes is always read again first (the sweep may have marked it offline or
 * reported a fault), so nothing others wrote is overwritten; this bound is for moves and retirements.
 */
const DOC_TRUSTED_MS = 30_000;
/**
 * Alarm changes the queue may hold before a batch waits for it: while the store refuses alarm
 * writes, batches then fail (and are retried by the consumer) instead of growing the queue.
 */
const MAX_QUEUED_ALARMS = 10_000;
/** Clean devices kept in memory between batches; dirty ones are always kept until stored. */
const MAX_HELD_DEVICES = 50_000;
/** What the store's copy of a device is read with (`latest` and `ruleStates`: left by an older layout). */
const STORED_FIELDS = { outbox: 0, outboxPending: 0, latest: 0, ruleStates: 0 } as const;

export interface ReadingGroup {
  deviceId: string;
  readings: ReadonlyArray<Omit<Reading, 'deviceId'>>;
}

export interface EvaluatorCounts {
  applied: number;
  skipped: number;
  raised: number;
  /** Readings whose live state and hourly buckets a checkpoint has written. */
  stored: number;
}

/**
 * Applies accepted readings a Kafka batch at a time and writes them behind (写后持久化).
 *
 * Rules run on each reading as it arrives, against the device's live state held in memory (one
 * consumer owns a device's partition, so one process evaluates it); the alarms a batch raises or
 * clears are written at once, because people wait for them (in write-behind mode by the alarm queue,
 * without holding up the next batch; a checkpoint waits for them). The live state (latest values, rule
 * state, last seen, battery and the hour in progress: `device_live`) is written by `checkpoint`,
 * every `READING_CHECKPOINT_MS`, one small update per device however many readings it had, with
 * the hours that ended since; the consumer commits its offsets only after that write. The device document itself is written
 * only when its health changes (back online, a fault begins or ends) or its coarse `lastSeenAt`
 * and battery level are due (`lastSeenRefreshMs`). A crash replays the readings since the last
 * checkpoint onto the stored state: a reading at or before a point's latest time is skipped, alarm
 * ids derive from device, type, point and time, and a finished hour is stored whole, so nothing is
 * raised or counted twice.
 *
 * This is what lets one evaluator keep up with thousands of readings a second: the store sees one
 * write per changed device per checkpoint instead of one per batch. With `checkpointMs` 0 every
 * batch is written through before it returns (the tests' setting, and the behaviour before).
 *
 * Before a checkpoint writes a device document it reads it again, so what others wrote (the health
 * sweep's offline mark and reported faults) is merged, not overwritten; the `online` and `fault
 * resolved` events are decided then. Other held copies are read again after `DOC_TRUSTED_MS`, so
 * a move or retirement reaches the evaluator within that.
 */
export function readingEvaluator(deps: {
  models: SensorsModels;
  profiles: ProfileBook;
  relay: OutboxRelay;
  logger: Logger;
  /** Counts the devices whose documents were written (the online rate's counts). */
  counted: (ids: readonly string[]) => Promise<void>;
  /** Counts the alarms raised, repeated or restored (alarmStats' counts). */
  alarmsCounted?: (ids: readonly string[]) => Promise<void>;
  /** 0: write every batch through; otherwise the consumer checkpoints on this period. */
  checkpointMs?: number;
  /** Write-behind: alarm changes queued before a batch waits for the queue (default 10,000). */
  maxQueuedAlarms?: number;
}) {
  const { models } = deps;
  const devicesColl = collectionOf(models.devices);
  const hoursColl = collectionOf(models.readingHours);
  const alarms = alarmWriter(deps);
  const writeThrough = (deps.checkpointMs ?? 0) === 0;
  // Write-behind: the batch does not wait for its alarms' store write (see alarm-queue.ts).
  const alarmsBehind = writeThrough
    ? undefined
    : alarmQueue({ write: alarms.write, logger: deps.logger, onWritten: (n) => (counts.raised += n) });
  const held = liveDevices(MAX_HELD_DEVICES);
  const lives = liveStore(models);
  const liveColl = collectionOf(models.deviceLive);
  /** Hours that ended since the last checkpoint, keyed by bucket id (a replay closes the same one). */
  let closedHours = new Map<string, ReadingHourDoc>();
  let pendingReadings = 0;
  const counts: EvaluatorCounts = { applied: 0, skipped: 0, raised: 0, stored: 0 };
  let checkpointing: Promise<void> = Promise.resolve();

  /** Reads the devices not held yet (active ones only: a retired device's readings are ignored). */
  async function holdDevices(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !held.has(id));
    if (missing.length === 0) return;
    const [docs, stored] = await Promise.all([
      models.devices.find({ _id: { $in: missing }, status: 'active' }, STORED_FIELDS).lean<DeviceDoc[]>(),
      lives.load(missing),
    ]);
    const readAt = Date.now();
    for (const doc of docs) if (!held.has(doc._id)) held.hold(doc, stored.get(doc._id) ?? NO_LIVE_STATE, readAt);
  }

  /**
   * `raised`: the alarms this call stored. In write-behind mode the alarms are written behind the
   * call (`counts().raised` counts them once stored), so it is 0 there.
   */
  async function apply(groups: readonly ReadingGroup[]): Promise<{ applied: number; skipped: number; raised: number }> {
    // Before anything changes: a batch refused here is retried from the same state.
    if (alarmsBehind && alarmsBehind.size() >= (deps.maxQueuedAlarms ?? MAX_QUEUED_ALARMS)) await alarmsBehind.drained();
    const readingsOf = new Map<string, Array<Omit<Reading, 'deviceId'>>>();
    for (const g of groups) readingsOf.set(g.deviceId, [...(readingsOf.get(g.deviceId) ?? []), ...g.readings]);
    await holdDevices([...readingsOf.keys()]);

    // Computed on copies: if writing the alarms fails, the batch is retried from the same state.
    const advanced: Array<{ id: string; live: DeviceLive }> = [];
    const closed: ReadingHourDoc[] = [];
    const changes: Array<{ device: Device; steps: RaiseOrClear[] }> = [];
    let applied = 0;
    let skipped = 0;
    for (const [deviceId, unsorted] of readingsOf) {
      const device = held.get(deviceId);
      if (!device || device.doc.status !== 'active') continue;
      const profile = await deps.profiles.get(device.doc.kind);
      const readings = [...unsorted].sort((a, b) => a.at.localeCompare(b.at));
      const latest: Record<string, PointState> = { ...device.live.latest };
      // A county's profile change starts rule state afresh: old state may belong to other rules.
      let states: Record<string, RuleState> = device.live.ruleStatesVersion === profile.version ? device.live.ruleStates : {};
      let { lastSeenAt, batteryPercent } = device.live;
      const hours: Record<string, HourBucket> = { ...device.live.hours };
      let appliedHere = 0;
      const steps: RaiseOrClear[] = [];
      for (const r of readings) {
        const p = r.point ?? SINGLE_POINT;
        const prev = latest[p];
        if (prev && prev.at >= r.at) {
          skipped += 1;
          continue;
        }
        appliedHere += 1;
        latest[p] = { at: r.at, values: { ...prev?.values, ...r.values } };
        if (!lastSeenAt || r.at > lastSeenAt) lastSeenAt = r.at;
        if (typeof r.values.batteryPercent === 'number') batteryPercent = r.values.batteryPercent;
        const open = hours[p];
        const next = withReading(open, r.at, r.values);
        if (open && open.hour !== next.hour) closed.push(closedHour(deviceId, p, open));
        hours[p] = next;
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
      // Nothing new for this device (every reading a replay).
      if (appliedHere === 0) continue;
      applied += appliedHere;
      const live: DeviceLive = {
        latest,
        ruleStates: states,
        ruleStatesVersion: profile.version,
        ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
        ...(batteryPercent !== undefined ? { batteryPercent } : {}),
        hours,
      };
      advanced.push({ id: deviceId, live });
      if (steps.length > 0) changes.push({ device: { ...device.doc, online: true }, steps });
    }

    let raised = 0;
    if (alarmsBehind) alarmsBehind.push(changes);
    else raised = await alarms.write(changes);
    for (const a of advanced) held.advance(a.id, a.live);
    for (const h of closed) closedHours.set(h._id, h);
    pendingReadings += applied;
    counts.applied += applied;
    counts.skipped += skipped;
    if (writeThrough) {
      counts.raised += raised;
      await checkpoint();
    }
    return { applied, skipped, raised };
  }

  /** Writes the live state of every changed device and the hourly buckets gathered so far. */
  async function writeCheckpoint(): Promise<void> {
    // The alarms of the readings this checkpoint commits are stored first (it throws, and nothing
    // is committed, while the store refuses them).
    await alarmsBehind?.drained();
    const dirty = held.dirty();
    const buckets = [...closedHours.values()];
    const readings = pendingReadings;
    closedHours = new Map();
    pendingReadings = 0;
    const t0 = performance.now();
    const timing: Record<string, number> = {};
    try {
      // Finished hours before the live state that no longer holds them.
      if (buckets.length > 0) await bulkWriteInChunks(hoursColl, closedHourWrites(buckets), { ordered: false });
      timing.hoursMs = Math.round(performance.now() - t0);
      if (dirty.length > 0) await writeDevices(dirty, timing);
    } catch (err) {
      // Kept for the next checkpoint (the consumer commits nothing this time); writing a finished
      // hour again replaces it with the same bucket.
      for (const b of buckets) if (!closedHours.has(b._id)) closedHours.set(b._id, b);
      pendingReadings += readings;
      throw err;
    }
    counts.stored += readings;
    held.trim();
    const totalMs = Math.round(performance.now() - t0);
    deps.logger.debug({ devices: dirty.length, buckets: buckets.length, readings, ...timing, totalMs }, 'checkpoint written');
  }

  async function writeDevices(dirty: ReturnType<typeof held.dirty>, timing: Record<string, number>): Promise<void> {
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timing[name] = Math.round(now - t);
      t = now;
    };
    // The store's copy again where it matters: for devices whose health changes (what the sweep
    // wrote must be merged, not overwritten) and for copies held too long (moves, retirements).
    const readAt = Date.now();
    const reread: string[] = [];
    for (const { id, live } of dirty) {
      const h = held.get(id);
      if (!h || readAt - h.readAt > DOC_TRUSTED_MS || live.lastSeenAt === undefined) reread.push(id);
      else if (healthAfter(h.doc, live, live.lastSeenAt, await deps.profiles.get(h.doc.kind)).write) reread.push(id);
    }
    const fresh = new Map(
      reread.length === 0
        ? []
        : (await models.devices.find({ _id: { $in: reread } }, STORED_FIELDS).lean<DeviceDoc[]>()).map((d) => [d._id, d]),
    );
    const liveWrites: Array<{ id: string; live: DeviceLive }> = [];
    const deviceOps: Array<AnyBulkWriteOperation<DeviceDoc>> = [];
    const healthWrites: string[] = [];
    const written: Array<{ id: string; changes: number; doc: DeviceDoc; readAt: number }> = [];
    const withEvents: string[] = [];
    const readAgain = new Set(reread);
    for (const { id, changes, live } of dirty) {
      const cached = held.get(id);
      // Not read again: its health does not change, so only its live state is written.
      if (!readAgain.has(id) && cached) {
        liveWrites.push({ id, live });
        written.push({ id, changes, doc: cached.doc, readAt: cached.readAt });
        continue;
      }
      const stored = fresh.get(id);
      if (!stored || stored.status !== 'active' || live.lastSeenAt === undefined) {
        held.drop(id);
        continue;
      }
      liveWrites.push({ id, live });
      const profile = await deps.profiles.get(stored.kind);
      const health = healthAfter(stored, live, live.lastSeenAt, profile);
      if (health.write) {
        healthWrites.push(id);
        deviceOps.push({
          updateOne: {
            filter: { _id: id },
            update: withOutbox<DeviceDoc>(
              // Unset: an older layout kept the live state on the device document.
              { $set: health.set, $unset: { latest: '', ruleStates: '', ruleStatesVersion: '' } },
              health.events,
            ),
          },
        });
        if (health.events.length > 0) withEvents.push(id);
      }
      written.push({ id, changes, doc: { ...stored, ...health.set }, readAt });
    }
    timing.reread = reread.length;
    lap('readMs');
    await bulkWriteInChunks(liveColl, lives.writes(liveWrites), { ordered: false });
    lap('liveMs');
    if (deviceOps.length > 0) await bulkWriteInChunks(devicesColl, deviceOps, { ordered: false });
    lap('deviceMs');
    await deps.counted(healthWrites);
    timing.deviceWrites = deviceOps.length;
    for (const w of written) held.stored(w.id, w.changes, w.doc, w.readAt);
    if (withEvents.length > 0) deps.relay.kick(models.devices.collection, withEvents);
  }

  /** Checkpoints never overlap. */
  function checkpoint(): Promise<void> {
    checkpointing = checkpointing.catch(() => undefined).then(writeCheckpoint);
    return checkpointing;
  }

  return {
    apply,
    /** The consumer calls it every `checkpointMs` and when it stops, then commits its offsets. */
    checkpoint,
    /** The group rebalanced: what was not checkpointed is replayed by the partitions' owners. */
    reset(): void {
      held.clear();
      closedHours = new Map();
      pendingReadings = 0;
    },
    /** Running totals (the benchmark reads them). */
    counts: (): Readonly<EvaluatorCounts> => ({ ...counts }),
  };
}

/**
 * The device document's health after live state `live`: online (an event if it was not), the fault
 * conditions its rule states show (a reported one that ended resolves its hazard), the battery
 * level, and `lastSeenAt` when due. `write` is false when none of it changed.
 */
function healthAfter(
  stored: DeviceDoc,
  live: DeviceLive,
  seen: string,
  profile: Awaited<ReturnType<ProfileBook['get']>>,
): { write: boolean; set: Partial<DeviceDoc>; events: OutboxEntry[] } {
  const events: OutboxEntry[] = [];
  const active = new Map(
    faultConditions(
      {
        id: stored._id,
        registeredAt: Date.parse(stored.registeredAt),
        lastSeenAt: Date.parse(seen),
        ruleStates: live.ruleStates,
      },
      profile,
      Date.parse(seen),
    ).map((c) => [c.condition as string, new Date(c.since).toISOString()]),
  );
  const faults: Device['faults'] = {};
  for (const [condition, since] of active) faults[condition] = stored.faults[condition] ?? { since };
  for (const [condition, f] of Object.entries(stored.faults)) {
    if (!active.has(condition) && f.reported && stored.unitId)
      events.push(faultResolved({ _id: stored._id, unitId: stored.unitId }, f.reported, seen));
  }
  // Last seen and the battery level go with the periodic refresh, and the battery at once when it
  // crosses the profile's low level (what the online-rate report counts).
  const refreshDue = !stored.lastSeenAt || Date.parse(seen) - Date.parse(stored.lastSeenAt) >= lastSeenRefreshMs(profile);
  const low = profile.lowBatteryPercent ?? LOW_BATTERY_PERCENT;
  const batteryDue =
    live.batteryPercent !== undefined &&
    (refreshDue || stored.batteryPercent === undefined || live.batteryPercent < low !== stored.batteryPercent < low);
  const set: Partial<DeviceDoc> = {
    online: true,
    faults,
    faulty: Object.keys(faults).length > 0,
    ...(refreshDue ? { lastSeenAt: seen } : {}),
    ...(batteryDue ? { batteryPercent: live.batteryPercent } : {}),
  };
  if (!stored.online) events.push(deviceEvent('online', { ...stored, ...set }));
  const write =
    events.length > 0 || !stored.online || refreshDue || batteryDue || JSON.stringify(faults) !== JSON.stringify(stored.faults);
  return { write, set, events };
}
