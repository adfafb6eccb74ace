import { startLeasedInterval, type Logger, type Redis } from '@firegov/kit';
import { countCell, encodeCell, type CountedUnit } from '../domain/unit-counts.ts';
import type { EntitiesModels, UnitDoc } from './models.ts';
import type { UnitIndex } from './unit-index.ts';

/**
 * The village-summary counts and list totals as Redis hashes: `<prefix>v2:counts:<g>:<code>` maps a
 * cell (village|grade|key|highRise|selfBuilt) to the number of active units in it under that
 * jurisdiction code, `<prefix>v2:totals:<g>:<code>` the same by category instead of village (what
 * a filtered list's totalCount sums), and `<prefix>v2:cells:<g>` remembers where each unit was counted, so recording a
 * unit again (a retry, a redelivered event) changes nothing, and a change moves it from one cell
 * to the other in one Lua script. `<g>` is the generation a rebuild writes, so readers switch
 * from the old counts to the new in one step.
 *
 * Every unit write records the unit after its store write, under the unit's document lock (so
 * one process records a unit's changes in order). A Redis failure there is logged, not retried:
 * the reconcile (`startCountsReconciler`, one replica, daily) and `npm run recount` recompute
 * everything from the store, and a service that finds no counts builds them at start-up.
 */
export interface UnitCounts {
  readonly prefix: string;
  /** Counts one unit where its current document says (idempotent). Never throws: drift is repaired by the reconcile. */
  record(unit: Pick<UnitDoc, '_id'> & CountedUnit): Promise<void>;
  /** The village cells counted under one jurisdiction code. */
  cells(code: string): Promise<Record<string, string>>;
  /** The list cells (category|grade|flags) counted under one jurisdiction code: list totals. */
  listCells(code: string): Promise<Record<string, string>>;
  /** Recomputes every count from the store into a new generation, then switches readers to it. */
  rebuild(models: EntitiesModels): Promise<number>;
  rebuildIfMissing(models: EntitiesModels): Promise<void>;
}

// KEYS: cells hash. ARGV: unit id, new encoded cell ('' = not counted: "scopes\tcell\tlistCell"),
// village-counts key prefix, list-totals key prefix.
const RECORD = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then old = '' end
if old == ARGV[2] then return 0 end
local function bump(key, field, delta)
  local n = redis.call('HINCRBY', key, field, delta)
  if n <= 0 then redis.call('HDEL', key, field) end
end
local function apply(encoded, delta)
  if encoded == '' then return end
  local t1 = string.find(encoded, '\\t', 1, true)
  local t2 = string.find(encoded, '\\t', t1 + 1, true)
  local cell = string.sub(encoded, t1 + 1, t2 - 1)
  local listCell = string.sub(encoded, t2 + 1)
  for code in string.gmatch(string.sub(encoded, 1, t1 - 1), '[^,]+') do
    bump(ARGV[3] .. code, cell, delta)
    bump(ARGV[4] .. code, listCell, delta)
  end
end
apply(old, -1)
apply(ARGV[2], 1)
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
`;

export function unitCounts(redis: Redis, prefix: string, logger: Logger): UnitCounts {
  // `v2`: the layout with list totals; counts of an older layout are simply not found (and rebuilt).
  const genKey = `${prefix}v2:counts:gen`;
  const cellsKey = (gen: string) => `${prefix}v2:cells:${gen}`;
  const countsPrefix = (gen: string) => `${prefix}v2:counts:${gen}:`;
  const totalsPrefix = (gen: string) => `${prefix}v2:totals:${gen}:`;
  const generation = async () => (await redis.get(genKey)) ?? '0';

  const record = async (gen: string, unit: Pick<UnitDoc, '_id'> & CountedUnit) => {
    await redis.eval(RECORD, 1, cellsKey(gen), unit._id, encodeCell(countCell(unit)), countsPrefix(gen), totalsPrefix(gen));
  };

  async function dropGeneration(gen: string): Promise<void> {
    for (const pattern of [`${countsPrefix(gen)}*`, `${totalsPrefix(gen)}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
    await redis.unlink(cellsKey(gen));
  }

  return {
    prefix,
    async record(unit) {
      try {
        await record(await generation(), unit);
      } catch (err) {
        logger.error({ err, unitId: unit._id }, 'village counts not updated; the reconcile will repair them');
      }
    },
    async cells(code) {
      return redis.hgetall(`${countsPrefix(await generation())}${code}`);
    },
    async listCells(code) {
      return redis.hgetall(`${totalsPrefix(await generation())}${code}`);
    },
    async rebuild(models) {
      const started = Date.now();
      const old = await generation();
      const gen = String(Number(old) + 1);
      await dropGeneration(gen);
      let n = 0;
      const cursor = models.units
        .find({ status: 'active' })
        .select({
          _id: 1,
          status: 1,
          category: 1,
          scope: 1,
          villageCode: 1,
          'risk.grade': 1,
          keyUnit: 1,
          highRise: 1,
          selfBuiltTarget: 1,
        })
        .lean<Array<Pick<UnitDoc, '_id'> & CountedUnit>>()
        .cursor();
      let batch: Array<Promise<void>> = [];
      for await (const unit of cursor) {
        batch.push(record(gen, unit));
        n += 1;
        if (batch.length >= 200) {
          await Promise.all(batch);
          batch = [];
        }
      }
      await Promise.all(batch);
      await redis.set(genKey, gen);
      await dropGeneration(old);
      logger.info({ units: n, ms: Date.now() - started, generation: gen }, 'village counts rebuilt');
      return n;
    },
    async rebuildIfMissing(models) {
      if (await redis.exists(genKey)) return;
      await this.rebuild(models);
    },
  };
}

/** Recomputes the counts, the index and the 考核 tallies every `intervalMs` on one replica, repairing drift from failed Redis writes. */
export function startCountsReconciler(opts: {
  counts: UnitCounts;
  index: Pick<UnitIndex, 'rebuild'>;
  duty: { rebuild(): Promise<number> };
  models: EntitiesModels;
  redis: Redis;
  logger: Logger;
  intervalMs: number;
}): { stop: () => Promise<void> } {
  return startLeasedInterval({
    redis: opts.redis,
    leaseKey: `${opts.counts.prefix}counts:reconcile:lease`,
    leaseTtlMs: 10 * 60_000,
    intervalMs: opts.intervalMs,
    work: async () => {
      await opts.counts.rebuild(opts.models);
      await opts.index.rebuild(opts.models);
      await opts.duty.rebuild();
    },
    onError: (err) => opts.logger.error({ err }, 'village counts reconcile failed'),
  });
}
