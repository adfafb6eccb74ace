import type { DeviceLive } from '../domain/device.ts';
import type { DeviceDoc } from '../store/models.ts';

/**
 * A device as the evaluator holds it between checkpoints: `doc` as last read from the store (what
 * others write: binding, status, online, reported faults) and `live`, which readings move ahead
 * of the store. `changes` counts applied batches; `stored` is the count the store has seen.
 */
export interface LiveDevice {
  doc: DeviceDoc;
  /** When `doc` was read (epoch ms). */
  readAt: number;
  live: DeviceLive;
  changes: number;
  stored: number;
}

/** Live devices of one evaluator: only the consumer that owns a device's partition writes its live state. */
export function liveDevices(maxClean: number) {
  const byId = new Map<string, LiveDevice>();
  const isDirty = (d: LiveDevice) => d.changes !== d.stored;

  return {
    get: (id: string) => byId.get(id),
    has: (id: string) => byId.has(id),
    /** Holds a device just read from the store with its stored live state. */
    hold(doc: DeviceDoc, live: DeviceLive, readAt: number): void {
      byId.set(doc._id, { doc, readAt, live, changes: 0, stored: 0 });
    },
    /** Records a batch's new live state (after its alarms were written). */
    advance(id: string, live: DeviceLive): void {
      const d = byId.get(id);
      if (!d) return;
      d.live = live;
      d.changes += 1;
    },
    /** The devices with live state the store has not seen, and how far each got. */
    dirty(): Array<{ id: string; changes: number; live: DeviceLive }> {
      return [...byId].filter(([, d]) => isDirty(d)).map(([id, d]) => ({ id, changes: d.changes, live: d.live }));
    },
    /** After a checkpoint wrote `changes` of a device: the store caught up, unless it moved on since. */
    stored(id: string, changes: number, doc: DeviceDoc, readAt: number): void {
      const d = byId.get(id);
      if (!d) return;
      d.stored = Math.max(d.stored, changes);
      d.doc = doc;
      d.readAt = readAt;
    },
    drop: (id: string) => byId.delete(id),
    /** Forgets clean devices beyond `maxClean`, oldest first, so memory stays bounded on a large county. */
    trim(): void {
      let excess = byId.size - maxClean;
      for (const [id, d] of byId) {
        if (excess <= 0) break;
        if (isDirty(d)) continue;
        byId.delete(id);
        excess -= 1;
      }
    },
    clear: () => byId.clear(),
    get size() {
      return byId.size;
    },
  };
}
