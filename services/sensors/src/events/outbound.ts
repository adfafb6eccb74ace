import {
  sensorFaultTopic,
  sensorsAlarmTopic,
  sensorsDeviceTopic,
  sensorsProfileTopic,
  type DeviceSnapshot,
} from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import { alarmSnapshot, type Alarm, type AlarmStep, type EscalationRecord } from '../domain/alarm.ts';
import type { Device } from '../domain/device.ts';
import type { Profile } from '../domain/profiles.ts';

// Every event this service emits through the outbox, built from snapshots of its documents.
// (Readings go to Kafka directly from ingest: accepting them *is* putting them on Kafka.)

const SOURCE = 'sensors';

export function deviceSnapshot(d: Device): DeviceSnapshot {
  return {
    id: d._id,
    version: d.version,
    kind: d.kind,
    name: d.name,
    gatewayId: d.gatewayId,
    ...(d.unitId ? { unitId: d.unitId } : {}),
    ...(d.place ? { place: d.place } : {}),
    ...(d.householdId ? { householdId: d.householdId } : {}),
    scope: d.scope,
    status: d.status,
    online: d.online,
    changedAt: d.changedAt,
  };
}

type DeviceEvent = 'registered' | 'moved' | 'retired' | 'offline' | 'online';

export const deviceEvent = (what: DeviceEvent, d: Device): OutboxEntry =>
  outboxEntry(sensorsDeviceTopic, SOURCE, {
    type: `sensors.device.${what}`,
    key: d._id,
    subject: d._id,
    data: deviceSnapshot(d),
  });

type AlarmAction = 'raised' | 'acknowledged' | 'confirmed' | 'false_alarm' | 'cleared';

export const alarmEvent = (action: AlarmAction, alarm: Alarm, step: AlarmStep): OutboxEntry =>
  outboxEntry(sensorsAlarmTopic, SOURCE, {
    type: `sensors.alarm.${action}`,
    key: alarm.deviceId,
    subject: alarm._id,
    data: alarmSnapshot(alarm, step),
  });

export const alarmEscalated = (alarm: Alarm, e: EscalationRecord): OutboxEntry =>
  outboxEntry(sensorsAlarmTopic, SOURCE, {
    type: 'sensors.alarm.escalated',
    key: alarm.deviceId,
    subject: alarm._id,
    data: { ...alarmSnapshot(alarm, { action: 'escalated', by: 'system', at: e.at }), level: e.level, notice: e.notice },
  });

export const faultPersisted = (
  device: Pick<Device, '_id' | 'unitId'> & { unitId: string },
  fault: { id: string; kind: 'offline' | 'low_pressure' | 'panel_disabled' | 'fault'; since: string; description: string },
): OutboxEntry =>
  outboxEntry(sensorFaultTopic, SOURCE, {
    type: 'sensors.fault.persisted',
    key: device.unitId,
    subject: fault.id,
    data: {
      id: fault.id,
      deviceId: device._id,
      unitId: device.unitId,
      kind: fault.kind,
      since: fault.since,
      description: fault.description,
    },
  });

export const faultResolved = (device: Pick<Device, '_id'> & { unitId: string }, id: string, at: string): OutboxEntry =>
  outboxEntry(sensorFaultTopic, SOURCE, {
    type: 'sensors.fault.resolved',
    key: device.unitId,
    subject: id,
    data: { id, deviceId: device._id, unitId: device.unitId, resolvedAt: at },
  });

export const profileUpdated = (p: Profile, by: string, at: string): OutboxEntry =>
  outboxEntry(sensorsProfileTopic, SOURCE, {
    type: 'sensors.profile.updated',
    key: p.kind,
    subject: p.kind,
    data: {
      kind: p.kind,
      version: p.version,
      heartbeatSeconds: p.heartbeatSeconds,
      offlineAfterMissed: p.offlineAfterMissed,
      faultHazardDays: p.faultHazardDays,
      ...(p.lowBatteryPercent !== undefined ? { lowBatteryPercent: p.lowBatteryPercent } : {}),
      rules: p.rules as unknown as Array<Record<string, unknown>>,
      updatedBy: by,
      updatedAt: at,
    },
  });
