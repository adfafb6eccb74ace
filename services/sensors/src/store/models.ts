import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { registryModels, type RegistryModels } from '@firegov/registry';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Alarm } from '../domain/alarm.ts';
import type { Device } from '../domain/device.ts';
import type { HourBucket } from '../domain/hour-buckets.ts';
import type { Profile } from '../domain/profiles.ts';
import { gatewayModel, type StoredGateway } from './gateway-model.ts';

// Faults are Mixed: their keys are conditions, so there is nothing for mongoose to cast.

/** A device as stored: the aggregate, its live state and the outbox that announces its changes. */
export type DeviceDoc = Device & OutboxFields;
export type AlarmDoc = Alarm & OutboxFields;

/**
 * A device's live state (`DeviceLive`) as stored: one JSON string in a document of its own. The
 * local store (FerretDB 1.x) decodes and re-encodes a whole document for every update, and nested
 * maps are what it is slowest at: measured on 1,000 documents, 8 KB of nested live state updated
 * 28 times a second, the same as one string 706 times. A 64-channel monitor's state is 64 KB.
 */
export interface DeviceLiveDoc {
  _id: string;
  state: string;
  lastSeenAt: string;
}

/** One device point's readings in one hour: what "recent readings" shows, kept for a set period. */
export interface ReadingHourDoc extends HourBucket {
  /** `<device>|<point>|<hour ISO>` */
  _id: string;
  deviceId: string;
  point: string;
}

/** A vulnerable household as entities announced it: what a household device is scoped by. */
export interface HouseholdDoc {
  _id: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
}

/** A county's override of a kind's default profile. */
export type ProfileDoc = Profile & { _id: string; updatedBy: string; updatedAt: string } & OutboxFields;

const opts = { versionKey: false, minimize: false } as const;
const mixed = { type: Schema.Types.Mixed, default: {} };

const deviceSchema = new Schema<DeviceDoc>(
  {
    _id: String,
    version: Number,
    serial: String,
    kind: String,
    name: String,
    gatewayId: String,
    uitd: { type: { address: String, system: Number }, _id: false, default: undefined },
    unitId: String,
    place: String,
    householdId: String,
    scope: [String],
    status: String,
    registeredAt: String,
    registeredBy: String,
    changedAt: String,
    online: Boolean,
    lastSeenAt: String,
    faults: mixed,
    faulty: Boolean,
    batteryPercent: Number,
    ...outboxSchemaFields,
  },
  opts,
);
// Lists by jurisdiction in _id order; a unit's and a household's devices; the heartbeat sweep's
// "active and online, silent since"; the adapter's UITD lookup; the relay's unsent outboxes.
deviceSchema.index({ scope: 1, _id: 1 });
deviceSchema.index({ unitId: 1 });
deviceSchema.index({ householdId: 1 });
deviceSchema.index({ status: 1, online: 1, lastSeenAt: 1 });
deviceSchema.index({ 'uitd.address': 1 });
deviceSchema.index({ status: 1, faulty: 1 });
deviceSchema.index({ outboxPending: 1 });

const alarmSchema = new Schema<AlarmDoc>(
  {
    _id: String,
    deviceId: String,
    deviceKind: String,
    unitId: String,
    householdId: String,
    scope: [String],
    type: String,
    severity: String,
    point: String,
    status: String,
    open: Boolean,
    raisedAt: String,
    lastAt: String,
    repeats: Number,
    restoredAt: String,
    steps: [Schema.Types.Mixed],
    escalations: [Schema.Types.Mixed],
    ...outboxSchemaFields,
  },
  opts,
);
// Queues per jurisdiction (open first, newest first); a unit's active alarms; the escalation clock.
alarmSchema.index({ scope: 1, open: 1, raisedAt: -1 });
alarmSchema.index({ unitId: 1, open: 1 });
alarmSchema.index({ open: 1, status: 1, raisedAt: 1 });
alarmSchema.index({ outboxPending: 1 });

const readingHourSchema = new Schema<ReadingHourDoc>(
  {
    _id: String,
    deviceId: String,
    point: String,
    hour: String,
    count: Number,
    min: mixed,
    max: mixed,
    sum: mixed,
    trueCount: mixed,
  },
  opts,
);
readingHourSchema.index({ deviceId: 1, hour: -1 });
readingHourSchema.index({ hour: 1 });

const deviceLiveSchema = new Schema<DeviceLiveDoc>({ _id: String, state: String, lastSeenAt: String }, opts);

const householdSchema = new Schema<HouseholdDoc>({ _id: String, villageCode: String, gridCode: String, scope: [String] }, opts);

const profileSchema = new Schema<ProfileDoc>(
  {
    _id: String,
    kind: String,
    version: Number,
    heartbeatSeconds: Number,
    offlineAfterMissed: Number,
    faultHazardDays: Number,
    lowBatteryPercent: Number,
    rules: [Schema.Types.Mixed],
    updatedBy: String,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
profileSchema.index({ outboxPending: 1 });

export interface SensorsModels extends RegistryModels {
  devices: Model<DeviceDoc>;
  alarms: Model<AlarmDoc>;
  readingHours: Model<ReadingHourDoc>;
  deviceLive: Model<DeviceLiveDoc>;
  households: Model<HouseholdDoc>;
  profiles: Model<ProfileDoc>;
  gateways: Model<StoredGateway>;
}

/**
 * The database of the devices' live state and hourly buckets: `<database>_live`, beside the
 * service's own. The evaluator writes these in bulk (one update per device every checkpoint, seconds
 * of writes on the local store), and the local store (FerretDB on SQLite) lets one write at a time
 * into a database: in the same database, an alarm's insert waited behind a whole checkpoint. A
 * second database is a second writer; on MongoDB it changes nothing.
 */
export function liveDatabaseOf(conn: Connection): Connection {
  return conn.useDb(`${conn.name}_live`, { useCache: true });
}

export function sensorsModels(conn: Connection): SensorsModels {
  const live = liveDatabaseOf(conn);
  return {
    ...registryModels(conn),
    devices: conn.model<DeviceDoc>('Device', deviceSchema, 'devices'),
    alarms: conn.model<AlarmDoc>('Alarm', alarmSchema, 'alarms'),
    readingHours: live.model<ReadingHourDoc>('ReadingHour', readingHourSchema, 'reading_hours'),
    deviceLive: live.model<DeviceLiveDoc>('DeviceLive', deviceLiveSchema, 'device_live'),
    households: conn.model<HouseholdDoc>('Household', householdSchema, 'households'),
    profiles: conn.model<ProfileDoc>('Profile', profileSchema, 'device_profiles'),
    gateways: gatewayModel(conn),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: SensorsModels): Array<Collection<Document>> {
  return [models.devices.collection, models.alarms.collection, models.profiles.collection];
}
