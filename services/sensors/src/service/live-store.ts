import type { AnyBulkWriteOperation } from 'mongodb';
import { NO_LIVE_STATE, type DeviceLive } from '../domain/device.ts';
import type { DeviceLiveDoc, SensorsModels } from '../store/models.ts';

/** Devices' live state in the store (`device_live`, one JSON string per device: see `DeviceLiveDoc`). */
export function liveStore(models: SensorsModels) {
  return {
    /** The stored live state of each device that has one. */
    async load(ids: readonly string[]): Promise<Map<string, DeviceLive>> {
      if (ids.length === 0) return new Map();
      const docs = await models.deviceLive.find({ _id: { $in: [...ids] } }).lean<DeviceLiveDoc[]>();
      return new Map(docs.map((d) => [d._id, decodeLive(d.state)]));
    },

    /** One upsert per device: the whole state, replaced. */
    writes(entries: ReadonlyArray<{ id: string; live: DeviceLive }>): Array<AnyBulkWriteOperation<DeviceLiveDoc>> {
      return entries.flatMap(({ id, live }) =>
        live.lastSeenAt === undefined
          ? []
          : [
              {
                updateOne: {
                  filter: { _id: id },
                  update: { $set: { state: JSON.stringify(live), lastSeenAt: live.lastSeenAt } },
                  upsert: true,
                },
              },
            ],
      );
    },
  };
}

export type LiveStore = ReturnType<typeof liveStore>;

/** Written by this service only; a state that does not parse (a hand edit) starts afresh rather than stop the evaluator. */
function decodeLive(state: string): DeviceLive {
  try {
    const parsed = JSON.parse(state) as Partial<DeviceLive> | null;
    if (!parsed || typeof parsed !== 'object') return NO_LIVE_STATE;
    return { ...NO_LIVE_STATE, ...parsed };
  } catch {
    return NO_LIVE_STATE;
  }
}
