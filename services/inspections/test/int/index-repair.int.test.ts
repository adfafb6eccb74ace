import { testLogger } from '@firegov/testing';
import { rebuildIndexes } from '../../src/store/rebuild.ts';
import { countyAdmin, inDays, seedRegistry, startHarness, townshipA, unitSnapshot, type Harness } from '../harness.ts';

// Redis holds derived indexes; a lost or wrong entry must be repaired from the store.

let h: Harness;
const unit = unitSnapshot({ name: '索引修复测试' });

beforeAll(async () => {
  h = await startHarness('insp-index');
  await seedRegistry(h, [unit]);
});
afterAll(async () => h.close());

test('after Redis loses a hazard’s entries, the rebuild puts it back in the queues and the sweep set', async () => {
  const hz = await h.services.hazards.record(townshipA, { unitId: unit.id, title: '消防通道堵塞', description: '需整改' });
  await h.services.hazards.command(townshipA, hz._id, { kind: 'issue_order', deadline: inDays(h, 3), responsibleParty: '店主' });
  const dueSoon = async () =>
    (await h.services.queues.queue(countyAdmin, { queue: 'due_soon', first: 50 })).nodes.map((n) => n._id);
  expect(await dueSoon()).toContain(hz._id);

  // Drift: every index entry of the hazard is gone, and a wrong one was left in the closed queue.
  const keys = await h.redis.keys(`${h.index.prefix}*`);
  for (const key of keys) if ((await h.redis.type(key)) === 'zset') await h.redis.zrem(key, hz._id);
  await h.redis.hdel(h.index.docsKey(), hz._id);
  await h.redis.zadd(h.index.queueKey('closed', unit.countyCode), 1, hz._id);
  expect(await dueSoon()).not.toContain(hz._id);

  expect(await rebuildIndexes(h.models, h.redis, h.index, testLogger())).toBeGreaterThanOrEqual(1);
  expect(await dueSoon()).toContain(hz._id);
  expect(await h.redis.zscore(h.index.sweepKey(), hz._id)).not.toBeNull();
  expect(await h.redis.zscore(h.index.queueKey('closed', unit.countyCode), hz._id)).toBeNull();
});
