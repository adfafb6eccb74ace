import { NO_LIVE_STATE } from '../../src/domain/device.ts';
import { hourOf, withReading } from '../../src/domain/hour-buckets.ts';
import { liveDevices } from '../../src/service/live-state.ts';
import type { DeviceDoc } from '../../src/store/models.ts';

const doc = (id: string) => ({ _id: id }) as DeviceDoc;

describe('hourly buckets', () => {
  test('a reading in the bucket’s hour adds to a copy; one in a later hour starts a new bucket', () => {
    const first = withReading(undefined, '2026-11-30T04:10:00.000Z', { cableTemperatureC: 40, alarm: false });
    const second = withReading(first, '2026-11-30T04:50:00.000Z', { cableTemperatureC: 46, alarm: true });
    expect(first).toEqual({
      hour: '2026-11-30T04:00:00.000Z',
      count: 1,
      min: { cableTemperatureC: 40 },
      max: { cableTemperatureC: 40 },
      sum: { cableTemperatureC: 40 },
      trueCount: { alarm: 0 },
    });
    expect(second).toMatchObject({
      count: 2,
      min: { cableTemperatureC: 40 },
      max: { cableTemperatureC: 46 },
      sum: { cableTemperatureC: 86 },
      trueCount: { alarm: 1 },
    });
    const next = withReading(second, '2026-11-30T05:00:00.000Z', { cableTemperatureC: 41 });
    expect(next).toMatchObject({ hour: '2026-11-30T05:00:00.000Z', count: 1, sum: { cableTemperatureC: 41 } });
    expect(hourOf('2026-11-30T23:59:59.999Z')).toBe('2026-11-30T23:00:00.000Z');
  });
});

describe('live devices held between checkpoints', () => {
  test('a device is dirty from its first applied batch until a checkpoint stores that far', () => {
    const held = liveDevices(10);
    held.hold(doc('d1'), NO_LIVE_STATE, 0);
    expect(held.dirty()).toEqual([]);
    held.advance('d1', { ...NO_LIVE_STATE, lastSeenAt: 'a' });
    held.advance('d1', { ...NO_LIVE_STATE, lastSeenAt: 'b' });
    const [snapshot] = held.dirty();
    expect(snapshot).toMatchObject({ id: 'd1', changes: 2, live: { lastSeenAt: 'b' } });
    // A batch applied while the checkpoint was writing keeps the device dirty.
    held.advance('d1', { ...NO_LIVE_STATE, lastSeenAt: 'c' });
    held.stored('d1', snapshot!.changes, doc('d1'), 1);
    expect(held.dirty().map((d) => d.live.lastSeenAt)).toEqual(['c']);
    held.stored('d1', 3, doc('d1'), 2);
    expect(held.dirty()).toEqual([]);
    expect(held.get('d1')?.readAt).toBe(2);
  });

  test('trimming forgets clean devices beyond the bound, oldest first, never a dirty one', () => {
    const held = liveDevices(2);
    for (const id of ['a', 'b', 'c', 'd']) held.hold(doc(id), NO_LIVE_STATE, 0);
    held.advance('a', { ...NO_LIVE_STATE, lastSeenAt: 'x' });
    held.trim();
    expect(['a', 'b', 'c', 'd'].filter((id) => held.has(id))).toEqual(['a', 'd']);
    expect(held.size).toBe(2);
  });
});
