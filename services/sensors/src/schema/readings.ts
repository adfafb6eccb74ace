import { AppError } from '@firegov/kit';
import type { ReadingHourDoc } from '../store/models.ts';
import { SINGLE_POINT } from '../domain/device.ts';
import { measurementOf } from '../domain/kinds.ts';
import { who } from './context.ts';
import { DeviceRef } from './devices.ts';
import { builder } from './refs.ts';

// A device's recent readings as hourly buckets (kept READING_RETENTION_DAYS); the latest reading
// of each point is on the device itself and kept forever.

const HourMeasurementRef = builder
  .objectRef<{
    name: string;
    unit: string | null;
    min: number | null;
    max: number | null;
    avg: number | null;
    trueCount: number | null;
  }>('HourMeasurement')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      unit: t.exposeString('unit', { nullable: true }),
      min: t.exposeFloat('min', { nullable: true }),
      max: t.exposeFloat('max', { nullable: true }),
      avg: t.exposeFloat('avg', { nullable: true }),
      trueCount: t.exposeInt('trueCount', {
        nullable: true,
        description: 'Readings in the hour with a boolean measurement true',
      }),
    }),
  });

const ReadingHourRef = builder.objectRef<ReadingHourDoc & { kind: string }>('ReadingHour').implement({
  fields: (t) => ({
    hour: t.exposeString('hour'),
    point: t.string({ nullable: true, resolve: (h) => (h.point === SINGLE_POINT ? null : h.point) }),
    count: t.exposeInt('count'),
    measurements: t.field({
      type: [HourMeasurementRef],
      resolve: (h) => {
        const names = new Set([...Object.keys(h.sum ?? {}), ...Object.keys(h.trueCount ?? {})]);
        return [...names].map((name) => {
          const numeric = h.sum?.[name] !== undefined;
          return {
            name,
            unit: measurementOf(h.kind as never, name)?.unit ?? null,
            min: numeric ? (h.min[name] ?? null) : null,
            max: numeric ? (h.max[name] ?? null) : null,
            avg: numeric ? (h.sum[name] as number) / h.count : null,
            trueCount: numeric ? null : (h.trueCount[name] ?? 0),
          };
        });
      },
    }),
  }),
});

builder.objectFields(DeviceRef, (t) => ({
  recentReadings: t.field({
    type: [ReadingHourRef],
    description: 'Hourly buckets of the last `hours` hours, newest first',
    args: { hours: t.arg.int({ defaultValue: 24 }), point: t.arg.string() },
    resolve: async (d, a, ctx) => {
      who(ctx);
      const hours = a.hours ?? 24;
      if (hours < 1 || hours > 24 * 31)
        throw new AppError('VALIDATION_FAILED', 'hours out of range', {
          details: [{ path: '$.hours', reason: 'must be between 1 and 744' }],
        });
      const since = new Date(ctx.services.now().getTime() - hours * 3_600_000).toISOString().slice(0, 13) + ':00:00.000Z';
      const rows = await ctx.services.readings.hours(d._id, since, a.point ?? undefined);
      return rows.map((r) => ({ ...r, kind: d.kind }));
    },
  }),
}));
