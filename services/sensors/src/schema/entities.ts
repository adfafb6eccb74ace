import DataLoader from 'dataloader';
import type { Alarm } from '../domain/alarm.ts';
import type { Device } from '../domain/device.ts';
import { AlarmRef } from './alarms.ts';
import { who, type GraphContext } from './context.ts';
import { DeviceRef } from './devices.ts';
import { externalById } from './refs.ts';

// Units and households are entities' records; sensors adds their devices and open alarms. One
// batch per request for a page of units or households.

interface Loaders {
  unitDevices: DataLoader<string, Device[]>;
  householdDevices: DataLoader<string, Device[]>;
  unitAlarms: DataLoader<string, Alarm[]>;
}
const loaders = new WeakMap<GraphContext, Loaders>();
function load(ctx: GraphContext): Loaders {
  let l = loaders.get(ctx);
  if (!l) {
    const me = who(ctx);
    const batch = <T>(fn: (ids: readonly string[]) => Promise<Map<string, T[]>>) =>
      new DataLoader<string, T[]>(
        async (ids) => {
          const found = await fn(ids);
          return ids.map((id) => found.get(id) ?? []);
        },
        { maxBatchSize: 200 },
      );
    l = {
      unitDevices: batch((ids) => ctx.services.devices.at(me, 'unitId', ids)),
      householdDevices: batch((ids) => ctx.services.devices.at(me, 'householdId', ids)),
      unitAlarms: batch((ids) => ctx.services.alarms.openAt(me, ids)),
    };
    loaders.set(ctx, l);
  }
  return l;
}

const devicesAt = (loader: keyof Pick<Loaders, 'unitDevices' | 'householdDevices'>, description: string) => ({
  type: [DeviceRef] as [typeof DeviceRef],
  description,
  resolve: (o: { id: string }, _a: unknown, ctx: GraphContext) => load(ctx)[loader].load(o.id),
});

export const UnitRef = externalById('Unit').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    devices: t.field(devicesAt('unitDevices', 'Monitoring devices in service at the unit (none outside your jurisdiction)')),
    activeAlarms: t.field({
      type: [AlarmRef],
      description: 'Alarms of the unit’s devices not yet cleared, newest first',
      resolve: (u, _a, ctx) => load(ctx).unitAlarms.load(u.id),
    }),
  }),
});

export const HouseholdRef = externalById('Household').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    devices: t.field(devicesAt('householdDevices', 'Connected devices (独立式烟感, 电气火灾监控 …) installed for the household')),
  }),
});
