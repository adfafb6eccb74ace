import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the sensors service. The fault topic other services consume is in upstream.ts (it was
// defined before this service existed).

const isoTime = z.iso.datetime({ offset: true });
const scope = z.array(z.string());

const readingValues = z.record(z.string(), z.union([z.number(), z.boolean()]));
const deviceReadings = z.array(z.object({ at: isoTime, point: z.string().optional(), values: readingValues })).min(1);

export const sensorsReadingTopic = defineTopic({
  name: 'firegov.sensors.readings.v1',
  owner: 'sensors',
  description:
    "Readings accepted from device gateways and transmission devices: the ingest API answers 202 only once they are here. The service's own evaluator consumes them. Since ingest groups a request's readings per reading shard (`sensors.readings.batch_accepted`, keyed `shard:<n>`): a device always hashes to the same shard, so its readings share a partition and stay in order, and a 500-reading batch is a few dozen messages instead of one per device.",
  keyedBy: 'reading shard `shard:<n>` (batch_accepted), device id (accepted, as first published)',
  events: {
    'sensors.readings.accepted': z.object({
      deviceId: z.string().min(1),
      /** The gateway (or GB/T 26875.3 transmission device) that delivered them. */
      via: z.string().min(1),
      receivedAt: isoTime,
      readings: deviceReadings,
    }),
    'sensors.readings.batch_accepted': z.object({
      /** The reading shard of every device below (sensors' readingShardOf). */
      shard: z.number().int().min(0),
      via: z.string().min(1),
      receivedAt: isoTime,
      devices: z.array(z.object({ deviceId: z.string().min(1), readings: deviceReadings })).min(1),
    }),
  },
});

export const deviceSnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  gatewayId: z.string().min(1),
  /** Where it is: a unit (and place inside it) or a vulnerable household. */
  unitId: z.string().optional(),
  place: z.string().optional(),
  householdId: z.string().optional(),
  scope,
  status: z.enum(['active', 'retired']),
  online: z.boolean(),
  changedAt: isoTime,
});
export type DeviceSnapshot = z.infer<typeof deviceSnapshotSchema>;

export const sensorsDeviceTopic = defineTopic({
  name: 'firegov.sensors.devices.v1',
  owner: 'sensors',
  description:
    'Monitoring devices (物联网感知设备): registered, moved, retired, gone offline and back; each event carries the whole device.',
  keyedBy: 'device id',
  events: {
    'sensors.device.registered': deviceSnapshotSchema,
    'sensors.device.moved': deviceSnapshotSchema,
    'sensors.device.retired': deviceSnapshotSchema,
    'sensors.device.offline': deviceSnapshotSchema,
    'sensors.device.online': deviceSnapshotSchema,
  },
});

export const alarmSnapshotSchema = z.object({
  id: z.string().min(1),
  deviceId: z.string().min(1),
  deviceKind: z.string().min(1),
  unitId: z.string().optional(),
  householdId: z.string().optional(),
  scope,
  type: z.string().min(1),
  severity: z.enum(['critical', 'major', 'minor']),
  point: z.string().optional(),
  status: z.enum(['raised', 'acknowledged', 'confirmed', 'false_alarm', 'cleared']),
  raisedAt: isoTime,
  repeats: z.number().int().min(0),
  /** The step this event announces: who did it and when (`system` for the rule engine and clocks). */
  step: z.object({ action: z.string().min(1), by: z.string().min(1), at: isoTime, note: z.string().optional() }),
});
export type AlarmSnapshot = z.infer<typeof alarmSnapshotSchema>;

export const alarmEscalatedSchema = alarmSnapshotSchema.extend({
  /** Who is told now: 单位管理人, 网格员, 乡镇, 消防救援机构. */
  level: z.enum(['unit_manager', 'grid_manager', 'township', 'fire_brigade']),
  /** 1 for the first notice at a level, then counts reminders. */
  notice: z.number().int().min(1),
});

export const sensorsAlarmTopic = defineTopic({
  name: 'firegov.sensors.alarms.v1',
  owner: 'sensors',
  description:
    'Alarms (报警) and their lifecycle: raised by the rule engine, acknowledged, confirmed as a real fire or marked false, cleared; escalations to the next person when nobody acknowledges.',
  keyedBy: 'device id',
  events: {
    'sensors.alarm.raised': alarmSnapshotSchema,
    'sensors.alarm.acknowledged': alarmSnapshotSchema,
    'sensors.alarm.confirmed': alarmSnapshotSchema,
    'sensors.alarm.false_alarm': alarmSnapshotSchema,
    'sensors.alarm.cleared': alarmSnapshotSchema,
    'sensors.alarm.escalated': alarmEscalatedSchema,
  },
});

export const sensorsProfileTopic = defineTopic({
  name: 'firegov.sensors.profiles.v1',
  owner: 'sensors',
  description: "Device profiles: a kind's alarm rules, heartbeat interval and fault-to-hazard days, as the county set them.",
  keyedBy: 'device kind',
  events: {
    'sensors.profile.updated': z.object({
      kind: z.string().min(1),
      version: z.number().int().min(1),
      heartbeatSeconds: z.number().int().min(1),
      offlineAfterMissed: z.number().int().min(1),
      faultHazardDays: z.number().min(0),
      lowBatteryPercent: z.number().min(0).max(100).optional(),
      rules: z.array(z.record(z.string(), z.unknown())),
      updatedBy: z.string().min(1),
      updatedAt: isoTime,
    }),
  },
});
