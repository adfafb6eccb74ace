import { withOutbox, type OutboxEntry, type OutboxRelay } from '@firegov/events';
import { countEscalations, startLeasedInterval, type Logger, type Redis } from '@firegov/kit';
import type { Alarm, EscalationRecord } from '../domain/alarm.ts';
import type { Device } from '../domain/device.ts';
import { nextEscalation, type EscalationPolicy } from '../domain/escalation.ts';
import { dueFaultHazards, faultConditions, offlineAfterMs } from '../domain/health.ts';
import type { DeviceKind } from '../domain/kinds.ts';
import { DeviceKind as Kinds } from '../domain/kinds.ts';
import { alarmEscalated, deviceEvent, faultPersisted } from '../events/outbound.ts';
import type { AlarmDoc, DeviceDoc, SensorsModels } from '../store/models.ts';
import { liveStore } from './live-store.ts';
import type { ProfileBook } from './profiles.ts';

const BATCH = 500;
const NO_OUTBOX = { outbox: 0, outboxPending: 0, latest: 0, ruleStates: 0 } as const;

/**
 * The clocks of the service, each a pass over what is due (tests call them with a travelled clock):
 * devices silent past their profile go offline; fault conditions that lasted become hazards;
 * unacknowledged alarms escalate. Each write is conditional on what was read, so two replicas (or a
 * pass overlapping a reading) never announce the same step twice.
 */
export function sensorClocks(deps: {
  models: SensorsModels;
  profiles: ProfileBook;
  relay: OutboxRelay;
  now: () => Date;
  policy: EscalationPolicy;
  /** Counts the devices whose documents were written (the online rate's counts). */
  counted: (ids: readonly string[]) => Promise<void>;
}) {
  const { models } = deps;
  const lives = liveStore(models);

  async function markOffline(): Promise<number> {
    const now = deps.now().getTime();
    let n = 0;
    for (const kind of Kinds.values as readonly DeviceKind[]) {
      const cutoff = new Date(now - offlineAfterMs(await deps.profiles.get(kind))).toISOString();
      const candidates = await models.devices
        .find({ status: 'active', online: true, kind, lastSeenAt: { $lt: cutoff } }, NO_OUTBOX)
        .limit(BATCH)
        .lean<DeviceDoc[]>();
      // The document's lastSeenAt is coarse (see lastSeenRefreshMs): the live state has the exact time.
      const live = await lives.load(candidates.map((d) => d._id));
      const silent = candidates.filter((d) => (live.get(d._id)?.lastSeenAt ?? '') < cutoff);
      for (const d of silent) {
        // Offline since it was last heard, to the second (the live state), not the coarse copy.
        const seen = live.get(d._id)?.lastSeenAt ?? d.lastSeenAt;
        const next: Device = { ...d, online: false, ...(seen ? { lastSeenAt: seen } : {}) };
        const res = await models.devices.updateOne(
          { _id: d._id, online: true, lastSeenAt: d.lastSeenAt },
          withOutbox<DeviceDoc>(
            {
              $set: {
                online: false,
                faulty: true,
                ...(seen ? { lastSeenAt: seen } : {}),
                'faults.offline': d.faults.offline ?? { since: seen },
              },
            },
            [deviceEvent('offline', next)],
          ),
        );
        n += res.modifiedCount;
      }
      if (silent.length > 0) {
        deps.relay.kick(
          models.devices.collection,
          silent.map((d) => d._id),
        );
        await deps.counted(silent.map((d) => d._id));
      }
    }
    return n;
  }

  /** Conditions that lasted past the profile's days become hazards (unit devices: hazards belong to units). */
  async function reportFaults(): Promise<number> {
    const now = deps.now().getTime();
    const faulty = await models.devices
      .find({ status: 'active', $or: [{ faulty: true }, { online: false }], unitId: { $exists: true } }, NO_OUTBOX)
      .limit(BATCH * 4)
      .lean<DeviceDoc[]>();
    const live = await lives.load(faulty.map((d) => d._id));
    let n = 0;
    for (const d of faulty) {
      if (!d.unitId) continue;
      const profile = await deps.profiles.get(d.kind);
      const state = live.get(d._id);
      const lastSeenAt = state?.lastSeenAt ?? d.lastSeenAt;
      const conditions = faultConditions(
        {
          id: d._id,
          registeredAt: Date.parse(d.registeredAt),
          ...(lastSeenAt ? { lastSeenAt: Date.parse(lastSeenAt) } : {}),
          ruleStates: state?.ruleStates ?? {},
        },
        profile,
        now,
      );
      const reported = Object.entries(d.faults)
        .filter(([, f]) => f.reported)
        .map(([condition, f]) => ({ id: f.reported as string, deviceId: d._id, condition: condition as never }));
      const due = dueFaultHazards(conditions, profile, now, reported);
      if (due.length === 0) continue;
      const events: OutboxEntry[] = [];
      const set: Record<string, unknown> = {};
      for (const f of due) {
        const since = new Date(f.since).toISOString();
        events.push(
          faultPersisted(
            { _id: d._id, unitId: d.unitId },
            { id: f.id, kind: f.kind, since, description: `${d.name}: ${f.description}` },
          ),
        );
        set[`faults.${f.condition}`] = { since: d.faults[f.condition]?.since ?? since, reported: f.id };
      }
      // Conditional on the device's last reading: a reading meanwhile may have ended the condition.
      const res = await models.devices.updateOne(
        { _id: d._id, ...(d.lastSeenAt ? { lastSeenAt: d.lastSeenAt } : { lastSeenAt: { $exists: false } }) },
        withOutbox<DeviceDoc>({ $set: { ...set, faulty: true } }, events),
      );
      if (res.modifiedCount > 0) {
        n += due.length;
        deps.relay.kick(models.devices.collection, [d._id]);
      }
    }
    return n;
  }

  async function escalate(): Promise<number> {
    const now = deps.now().getTime();
    const open = await models.alarms
      .find({ open: true, status: { $in: ['raised', 'acknowledged', 'confirmed'] } }, NO_OUTBOX)
      .sort({ raisedAt: 1 })
      .limit(BATCH * 4)
      .lean<AlarmDoc[]>();
    let n = 0;
    for (const a of open) {
      const step = nextEscalation(
        {
          type: a.type,
          severity: a.severity,
          status: a.status,
          raisedAt: Date.parse(a.raisedAt),
          escalations: a.escalations.map((e) => ({ ...e, at: Date.parse(e.at) })),
        },
        deps.policy,
        now,
      );
      if (!step) continue;
      const record: EscalationRecord = { level: step.level, notice: step.notice, at: new Date(now).toISOString() };
      const next: Alarm = { ...a, escalations: [...a.escalations, record] };
      // Only if nobody escalated or handled it since it was read.
      const res = await models.alarms.updateOne(
        { _id: a._id, status: a.status, escalations: { $size: a.escalations.length } },
        withOutbox<AlarmDoc>({ $push: { escalations: record } }, [alarmEscalated(next, record)]),
      );
      if (res.modifiedCount > 0) {
        n += 1;
        deps.relay.kick(models.alarms.collection, [a._id]);
      }
    }
    return n;
  }

  return { markOffline, reportFaults, escalate };
}

export type SensorClocks = ReturnType<typeof sensorClocks>;

/** Runs the clocks on one replica at a time (Redis leases per deployment), and prunes old hourly buckets. */
export function startSensorSweeps(opts: {
  clocks: SensorClocks;
  prune: () => Promise<number>;
  redis: Redis;
  logger: Logger;
  keyPrefix: string;
  healthEveryMs: number;
  escalationEveryMs: number;
}): { stop: () => Promise<void> } {
  const log = opts.logger.child({ component: 'sweeps' });
  const health = startLeasedInterval({
    redis: opts.redis,
    leaseKey: `${opts.keyPrefix}health-sweep`,
    leaseTtlMs: Math.max(60_000, opts.healthEveryMs * 2),
    intervalMs: opts.healthEveryMs,
    work: async () => {
      const offline = await opts.clocks.markOffline();
      const hazards = await opts.clocks.reportFaults();
      const pruned = await opts.prune();
      if (offline + hazards + pruned > 0) log.info({ offline, hazards, pruned }, 'device health sweep');
    },
    onError: (err) => log.error({ err }, 'device health sweep failed'),
  });
  const escalation = startLeasedInterval({
    redis: opts.redis,
    leaseKey: `${opts.keyPrefix}escalation-sweep`,
    leaseTtlMs: Math.max(60_000, opts.escalationEveryMs * 2),
    intervalMs: opts.escalationEveryMs,
    work: async () => {
      const n = await opts.clocks.escalate();
      countEscalations('alarms', 'escalate', n);
      if (n > 0) log.info({ escalated: n }, 'alarm escalation sweep');
    },
    onError: (err) => log.error({ err }, 'alarm escalation sweep failed'),
  });
  return {
    async stop() {
      await Promise.all([health.stop(), escalation.stop()]);
    },
  };
}
