import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withOutbox, type OutboxEntry, type OutboxRelay } from '@firegov/events';
import { AppError, collectionOf, conflict, forbidden, fromDomain, isDuplicateKeyError, notFound } from '@firegov/kit';
import type { RegistryLookup } from '@firegov/registry';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import {
  moveDeviceInput,
  movedDevice,
  newDevice,
  registerDeviceInput,
  retiredDevice,
  type Device,
  type Site,
} from '../domain/device.ts';
import { deviceEvent } from '../events/outbound.ts';
import type { Filter, UpdateFilter } from 'mongodb';
import type { DeviceDoc, SensorsModels } from '../store/models.ts';
import { liveStore } from './live-store.ts';

export interface DeviceDeps {
  models: SensorsModels;
  registry: RegistryLookup;
  relay: OutboxRelay;
  now: () => Date;
  /** Called with a device id whenever it changes, so ingest's in-memory copy is dropped at once. */
  changed?: (id: string) => void | Promise<void>;
}

/** Who changes devices: staff within their jurisdiction, or a gateway for the devices it registered. */
export interface DeviceActor {
  subject: string;
  /** The division code whose subtree the actor may place devices in. */
  jurisdiction: string;
  /** Set for a gateway: it may only touch its own devices. */
  gatewayId?: string;
}

const STAFF_WRITERS = new Set(['county_admin', 'township_officer']);

export const staffActor = (who: Identity): DeviceActor => {
  if (!STAFF_WRITERS.has(who.role)) throw forbidden('only county administrators and township officers manage devices');
  return { subject: who.subject, jurisdiction: who.jurisdiction };
};

/** Reads that show the device leave out its outbox (and the live state an older layout kept on it). */
export const DEVICE_PROJECTION = { outbox: 0, outboxPending: 0, latest: 0, ruleStates: 0 } as const;

/** The only writer of the device aggregate (registration, moves, retirement): each change and its event in one write. */
export function deviceService(deps: DeviceDeps) {
  const devices = collectionOf(deps.models.devices);
  const households = collectionOf(deps.models.households);
  const lives = liveStore(deps.models);

  /** Resolves where a device is to go; scope comes from the registry, never from the caller. */
  async function siteOf(actor: DeviceActor, at: { unitId?: string; place?: string; householdId?: string }): Promise<Site> {
    if (at.unitId) {
      const unit = await deps.registry.unit(at.unitId);
      if (!unit || unit.status !== 'active' || !unit.scope.includes(actor.jurisdiction))
        throw new AppError('VALIDATION_FAILED', 'unknown unit', {
          details: [{ path: '$.unitId', reason: 'is not an active unit in your jurisdiction' }],
        });
      return { unitId: unit._id, ...(at.place ? { place: at.place } : {}), scope: unit.scope };
    }
    const household = at.householdId ? await households.findOne({ _id: at.householdId }) : null;
    if (!household || !household.scope.includes(actor.jurisdiction))
      throw new AppError('VALIDATION_FAILED', 'unknown household', {
        details: [{ path: '$.householdId', reason: 'is not a registered household in your jurisdiction' }],
      });
    return { householdId: household._id, scope: household.scope };
  }

  async function owned(actor: DeviceActor, id: string): Promise<Device> {
    const doc = await devices.findOne({ _id: id }, { projection: { outbox: 0, outboxPending: 0 } });
    const mine = doc && doc.scope.includes(actor.jurisdiction) && (!actor.gatewayId || doc.gatewayId === actor.gatewayId);
    if (!doc || !mine) throw notFound('device');
    return doc;
  }

  /** One change of a device read at `device.version`, with its event; refused if it changed meanwhile. */
  async function save(device: Device, update: UpdateFilter<DeviceDoc>, event: OutboxEntry): Promise<void> {
    const res = await devices.updateOne({ _id: device._id, version: device.version }, withOutbox<DeviceDoc>(update, [event]));
    if (res.matchedCount === 0) throw conflict('the device changed meanwhile; try again');
    deps.relay.kick(deps.models.devices.collection, [device._id]);
    await deps.changed?.(device._id);
  }

  return {
    async register(actor: DeviceActor, raw: unknown): Promise<Device> {
      const input = fromDomain(() => parseInput(registerDeviceInput, raw));
      if (actor.gatewayId && input.gatewayId !== actor.gatewayId)
        throw new AppError('VALIDATION_FAILED', 'a gateway registers its own devices', {
          details: [{ path: '$.gatewayId', reason: 'must be your own gateway id' }],
        });
      if (!(await deps.models.gateways.exists({ _id: input.gatewayId })))
        throw new AppError('VALIDATION_FAILED', 'unknown gateway', {
          details: [{ path: '$.gatewayId', reason: 'is not a registered device gateway' }],
        });
      const site = await siteOf(actor, input);
      const doc = newDevice(input, site, { now: deps.now(), actor: actor.subject });
      try {
        await devices.insertOne({ ...doc, ...newOutbox([deviceEvent('registered', doc)]) });
      } catch (err) {
        if (isDuplicateKeyError(err))
          throw conflict(`the gateway already registered serial ${input.serial}`, [
            { path: '$.serial', reason: 'is already registered by this gateway' },
          ]);
        throw err;
      }
      deps.relay.kick(deps.models.devices.collection, [doc._id]);
      await deps.changed?.(doc._id);
      return doc;
    },

    async move(actor: DeviceActor, raw: unknown): Promise<Device> {
      const input = fromDomain(() => parseInput(moveDeviceInput, raw));
      const device = await owned(actor, input.id);
      const site = await siteOf(actor, input);
      const change = fromDomain(() => movedDevice(device, site, deps.now()));
      const next: Device = { ...device, ...change };
      if (!site.unitId) delete next.unitId;
      if (!site.place) delete next.place;
      if (!site.householdId) delete next.householdId;
      const unset = Object.fromEntries(
        (['unitId', 'place', 'householdId'] as const).filter((k) => next[k] === undefined).map((k) => [k, '']),
      );
      await save(
        device,
        { $set: change, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) } as UpdateFilter<DeviceDoc>,
        deviceEvent('moved', next),
      );
      // Alarms already open keep the site they were raised at: they record what happened there.
      return next;
    },

    async retire(actor: DeviceActor, id: string): Promise<Device> {
      const device = await owned(actor, id);
      const change = fromDomain(() => retiredDevice(device, deps.now()));
      const next: Device = { ...device, ...change };
      await save(device, { $set: change }, deviceEvent('retired', next));
      return next;
    },

    async byId(who: Pick<Identity, 'jurisdiction'>, id: string): Promise<Device> {
      const doc = await devices.findOne({ _id: id }, { projection: DEVICE_PROJECTION });
      // Out of scope reads as absent: a caller learns nothing about records beyond its jurisdiction.
      if (!doc || !doc.scope.includes(who.jurisdiction)) throw notFound('device');
      return doc;
    },

    /** The caller's devices in _id order, a page at a time, optionally only offline ones or one kind. */
    async list(
      who: Pick<Identity, 'jurisdiction'>,
      o: { first?: number | null; after?: string | null; online?: boolean | null; kind?: string | null },
    ): Promise<Page<Device>> {
      const limit = pageSize(o.first);
      const base = {
        scope: who.jurisdiction,
        status: 'active',
        ...(o.online != null ? { online: o.online } : {}),
        ...(o.kind ? { kind: o.kind } : {}),
      } as Filter<DeviceDoc>;
      const filter: Filter<DeviceDoc> = { ...base, ...(o.after ? { _id: { $gt: decodeCursor(o.after) } } : {}) };
      const docs = await devices
        .find(filter, { projection: DEVICE_PROJECTION })
        .sort({ _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, () => devices.countDocuments(base));
    },

    /** The stored live state of devices the caller has already read (their scope was checked then). */
    live: (ids: readonly string[]) => lives.load(ids),

    /** Devices at these units or households (entity fields), grouped by owner id; in-scope only. */
    async at(
      who: Pick<Identity, 'jurisdiction'>,
      field: 'unitId' | 'householdId',
      ids: readonly string[],
    ): Promise<Map<string, Device[]>> {
      const docs = await devices
        .find({ [field]: { $in: [...ids] }, status: 'active' }, { projection: DEVICE_PROJECTION })
        .sort({ _id: 1 })
        .toArray();
      const out = new Map<string, Device[]>();
      for (const d of docs) {
        const owner = d[field];
        if (!owner || !d.scope.includes(who.jurisdiction)) continue;
        out.set(owner, [...(out.get(owner) ?? []), d]);
      }
      return out;
    },
  };
}

export type DeviceService = ReturnType<typeof deviceService>;
