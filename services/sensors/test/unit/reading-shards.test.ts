import { READING_SHARDS, readingShardOf } from '../../src/domain/readings.ts';
import { readingGroupsOf } from '../../src/events/inbound/readings.ts';

// Readings go to Kafka one message per shard; a device must always land in the same shard (its
// readings then share a partition and one evaluator applies them in order).

test('a device always hashes to the same shard, in range, the same in every process', () => {
  expect(readingShardOf('dev_01HX0000000000000000000001')).toBe(readingShardOf('dev_01HX0000000000000000000001'));
  // Pinned: a change of the hash would move devices between partitions on an upgrade.
  expect(readingShardOf('')).toBe(0x811c9dc5 % READING_SHARDS);
  expect(readingShardOf('a')).toBe(0xe40c292c % READING_SHARDS);
  for (let i = 0; i < 1000; i += 1) {
    const shard = readingShardOf(`dev_${i}`);
    expect(Number.isInteger(shard) && shard >= 0 && shard < READING_SHARDS).toBe(true);
  }
});

test('devices spread over the shards (no shard holds more than twice its share of 6,400 devices)', () => {
  const counts = new Array<number>(READING_SHARDS).fill(0);
  for (let i = 0; i < 6400; i += 1) counts[readingShardOf(`dev_${i.toString(36).padStart(8, '0')}`)]! += 1;
  expect(Math.min(...counts)).toBeGreaterThan(0);
  expect(Math.max(...counts)).toBeLessThan(200);
});

test("the evaluator reads both layouts: a shard's batch as its devices, a device's event as itself", () => {
  const readings = [{ at: '2026-11-30T08:00:00.000Z', values: { alarm: false } }];
  expect(
    readingGroupsOf({
      type: 'sensors.readings.batch_accepted',
      data: {
        shard: 3,
        via: 'gw_1',
        receivedAt: '2026-11-30T08:00:01.000Z',
        devices: [
          { deviceId: 'dev_a', readings },
          { deviceId: 'dev_b', readings },
        ],
      },
    }).map((g) => g.deviceId),
  ).toEqual(['dev_a', 'dev_b']);
  expect(
    readingGroupsOf({
      type: 'sensors.readings.accepted',
      data: { deviceId: 'dev_c', via: 'gw_1', receivedAt: '2026-11-30T08:00:01.000Z', readings },
    }),
  ).toEqual([{ deviceId: 'dev_c', via: 'gw_1', receivedAt: '2026-11-30T08:00:01.000Z', readings }]);
});
