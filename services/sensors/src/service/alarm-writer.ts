import { withOutbox, type OutboxRelay } from '@firegov/events';
import { bulkWriteInChunks, collectionOf, isDuplicateKeyError, type Logger } from '@firegov/kit';
import type { AnyBulkWriteOperation } from 'mongodb';
import { newAlarm, type Alarm, type AlarmStep } from '../domain/alarm.ts';
import { closesOnRestore, SYSTEM_ACTOR } from '../domain/alarm-lifecycle.ts';
import type { Device } from '../domain/device.ts';
import type { AlarmType, Severity } from '../domain/rule-types.ts';
import { alarmEvent } from '../events/outbound.ts';
import type { AlarmDoc, SensorsModels } from '../store/models.ts';

/** What the rule engine decided for one point of a device at one reading. */
export interface RaiseOrClear {
  transition: 'raise' | 'clear';
  alarmType: AlarmType;
  severity: Severity;
  point?: string;
  at: string;
}

const openKey = (deviceId: string, type: string, point: string | undefined) => `${deviceId}|${type}|${point ?? ''}`;

/**
 * Writes what the rules decided, at once (alarms are what people wait for): new alarms with ids
 * derived from device, type, point and reading time, so a replay inserts nothing; repeats of an
 * open alarm; restorations, which close an alarm when its lifecycle allows.
 */
export function alarmWriter(deps: {
  models: SensorsModels;
  relay: OutboxRelay;
  logger: Logger;
  alarmsCounted?: (ids: readonly string[]) => Promise<void>;
}) {
  const { models } = deps;
  const alarmsColl = collectionOf(models.alarms);

  async function openAlarmsOf(deviceIds: readonly string[]): Promise<Map<string, AlarmDoc>> {
    if (deviceIds.length === 0) return new Map();
    const open = await models.alarms
      .find({ deviceId: { $in: [...deviceIds] }, open: true }, { outbox: 0, outboxPending: 0 })
      .lean<AlarmDoc[]>();
    return new Map(open.map((a) => [openKey(a.deviceId, a.type, a.point), a]));
  }

  return { write };

  /** Raises new alarms (deterministic ids: a replay inserts nothing), counts repeats, marks restorations. */
  async function write(changes: ReadonlyArray<{ device: Device; steps: RaiseOrClear[] }>): Promise<number> {
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
    const updated = updates.flatMap((u) => ('updateOne' in u ? [u.updateOne.filter._id] : []));
    if (updates.length > 0) {
      await bulkWriteInChunks(alarmsColl, updates, { ordered: true });
      deps.relay.kick(models.alarms.collection, updated);
    }
    await deps.alarmsCounted?.([...inserts.map((a) => a._id), ...updated.filter((id): id is string => typeof id === 'string')]);
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
