import { enumValues } from '@firegov/service';
import type { OnlineRow } from '../service/health-report.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

const LevelEnum = builder.enumType('OnlineRateLevel', {
  values: enumValues(['village', 'township', 'unit'] as const, {
    village: { zh: '村（社区）', en: 'Village' },
    township: { zh: '乡镇', en: 'Township' },
    unit: { zh: '单位', en: 'Unit' },
  }),
});

const OnlineRowRef = builder.objectRef<OnlineRow>('DeviceOnlineRate').implement({
  description: '在线率: devices in service that are online, per village, township or unit',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Division code, or unit id for level unit' }),
    total: t.exposeInt('total'),
    online: t.exposeInt('online'),
    rate: t.float({ resolve: (r) => (r.total === 0 ? 0 : r.online / r.total) }),
    lowBattery: t.exposeInt('lowBattery', {
      description:
        'Devices whose last battery reading was below their kind’s low level (the profile’s lowBatteryPercent, 20 % by default)',
    }),
  }),
});

builder.queryFields((t) => ({
  deviceOnlineRate: t.field({
    type: [OnlineRowRef],
    args: { level: t.arg({ type: LevelEnum, required: true }) },
    resolve: (_r, a, ctx) => ctx.services.health.onlineRate(who(ctx), a.level),
  }),
}));
