import type { Logger, Redis } from '@firegov/kit';
import { indexEntry, SEP, type IndexPlan } from '../domain/unit-index.ts';
import type { EntitiesModels, StoredUnit, UnitDoc } from './models.ts';

/**
 * The unit index: a snapshot of every unit and, for active ones, the sets that answer the list
 * filters and name search, in Redis under `<prefix>ux:`:
 * - `docs` (hash) unit id → the unit document as JSON (without its outbox and consumed event ids);
 * - `meta` (hash) unit id → `version|stamp|memberships`, so a write older than the one applied is
 *   ignored (replicas, the rebuild and retries may record one unit in any order) and a move
 *   takes the unit out of the sets it left;
 * - `line` (hash) unit id → grade, flags and lower-cased name, what the list script tests;
 * - `m:<set>` (sorted sets, score 0) unit ids in byte order, which is the store's `_id` order,
 *   so cursor pages are ZRANGEBYLEX ranges;
 * - `ready` once a build from the store has completed. Until then every read goes to the store.
 *
 * Every unit write records the unit after its store write, under the unit's document lock. A
 * failed record is retried from the store every few seconds until it lands; one replica also
 * rebuilds the index from the store with the counts' reconcile, and `npm run rebuild-read-models`
 * rebuilds it from nothing.
 */
export interface UnitIndex {
  /** Records a unit as written (never throws; a failure is retried from the store). */
  record(unit: UnitDoc): Promise<void>;
  /** Whether lists can be answered here (a build completed); false sends them to the store. */
  ready(): Promise<boolean>;
  /** Snapshots by id, null for units the index does not hold. */
  docs(ids: readonly string[]): Promise<Array<UnitDoc | null>>;
  /** Up to `limit` ids matching the plan after `after`, in id order; null when the index is not ready. */
  page(plan: IndexPlan, after: string | null, limit: number): Promise<string[] | null>;
  /** How many units match the plan; null when the index is not ready. */
  count(plan: IndexPlan): Promise<number | null>;
  /** Records every unit of the store (newer writes still win), then marks the index ready. */
  rebuild(models: EntitiesModels, opts?: { fresh?: boolean }): Promise<number>;
  rebuildIfMissing(models: EntitiesModels): Promise<void>;
  close(): Promise<void>;
}

// KEYS: meta, docs, line. ARGV: id, version, stamp, memberships (SEP-joined), set key prefix, json, line.
const RECORD = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local oldMembers = ''
if old then
  local v, t, m = string.match(old, '^([^|]*)|([^|]*)|(.*)$')
  local nv, nt = tonumber(ARGV[2]), tonumber(ARGV[3])
  v, t = tonumber(v), tonumber(t)
  if v > nv or (v == nv and t > nt) then return 0 end
  oldMembers = m
end
local keep = {}
for m in string.gmatch(ARGV[4], '[^\\t]+') do keep[m] = true end
for m in string.gmatch(oldMembers, '[^\\t]+') do
  if not keep[m] then redis.call('ZREM', ARGV[5] .. m, ARGV[1]) end
end
for m in pairs(keep) do redis.call('ZADD', ARGV[5] .. m, 0, ARGV[1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[6])
if ARGV[7] == '' then redis.call('HDEL', KEYS[3], ARGV[1]) else redis.call('HSET', KEYS[3], ARGV[1], ARGV[7]) end
return 1
`;

// KEYS: ready, line, set 1..n. ARGV: mode ('page' | 'count'), after ('' = from the start), limit,
// grade, key, highRise, selfBuilt, needle. Answers -1 when not ready. The smallest set is walked
// in id order and the others are asked by ZSCORE, so a page costs about as many steps as it has
// units, never the size of the intersection (超市 in a township: thousands).
const SCAN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local src, others, smallest = nil, {}, nil
for i = 3, #KEYS do
  local n = redis.call('ZCARD', KEYS[i])
  if smallest == nil or n < smallest then
    if src then others[#others + 1] = src end
    src, smallest = KEYS[i], n
  else
    others[#others + 1] = KEYS[i]
  end
end
local count = ARGV[1] == 'count'
if smallest == 0 then
  if count then return 0 end
  return {}
end
local wants = { ARGV[4], ARGV[5], ARGV[6], ARGV[7] }
local needle = ARGV[8]
local tests = needle ~= '' or wants[1] ~= '' or wants[2] ~= '' or wants[3] ~= '' or wants[4] ~= ''
if count and not tests and #others == 0 then return smallest end
local function matches(id)
  for _, key in ipairs(others) do
    if not redis.call('ZSCORE', key, id) then return false end
  end
  if not tests then return true end
  local line = redis.call('HGET', KEYS[2], id)
  if not line then return false end
  local i, pos = 1, 1
  while i <= 4 do
    local tab = string.find(line, '\\t', pos, true)
    if not tab then return false end
    if wants[i] ~= '' and string.sub(line, pos, tab - 1) ~= wants[i] then return false end
    pos = tab + 1
    i = i + 1
  end
  return needle == '' or string.find(string.sub(line, pos), needle, 1, true) ~= nil
end
local limit = tonumber(ARGV[3])
local from = '-'
if ARGV[2] ~= '' then from = '(' .. ARGV[2] end
local out, n = {}, 0
while true do
  local ids = redis.call('ZRANGEBYLEX', src, from, '+', 'LIMIT', 0, 500)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    if matches(id) then
      n = n + 1
      if not count then
        out[#out + 1] = id
        if n >= limit then break end
      end
    end
  end
  if (not count and n >= limit) or #ids < 500 then break end
  from = '(' .. ids[#ids]
end
if count then return n end
return out
`;

const REPAIR_EVERY_MS = 5_000;
const BUILD_BATCH = 200;

/** The unit as the index keeps it: what the API can show, not the store's bookkeeping. */
function snapshot(unit: UnitDoc | StoredUnit): string {
  const { nameGrams: _g, appliedEventIds: _a, ...rest } = unit as StoredUnit;
  const { outbox: _o, outboxPending: _p, ...doc } = rest;
  return JSON.stringify(doc);
}

export function unitIndex(
  redis: Redis,
  prefix: string,
  logger: Logger,
  models: EntitiesModels,
  opts: { repairEveryMs?: number } = {},
): UnitIndex {
  const repairEveryMs = opts.repairEveryMs ?? REPAIR_EVERY_MS;
  const base = `${prefix}ux:`;
  const keys = {
    meta: `${base}meta`,
    docs: `${base}docs`,
    line: `${base}line`,
    ready: `${base}ready`,
    scratch: `${base}scratch`,
  };
  const setPrefix = `${base}m:`;
  const failed = new Set<string>();
  let repairTimer: NodeJS.Timeout | undefined;

  const write = async (unit: UnitDoc) => {
    const e = indexEntry(unit);
    await redis.eval(
      RECORD,
      3,
      keys.meta,
      keys.docs,
      keys.line,
      e.id,
      e.version,
      e.stamp,
      e.members.join(SEP),
      setPrefix,
      snapshot(unit),
      e.line,
    );
  };

  // Units whose record failed are recorded again from the store until it works: a snapshot must
  // not stay behind its unit until the daily rebuild.
  async function repair(): Promise<void> {
    const ids = [...failed];
    failed.clear();
    try {
      const units = await models.units.find({ _id: { $in: ids } }).lean<UnitDoc[]>();
      for (const unit of units) await write(unit);
    } catch (err) {
      for (const id of ids) failed.add(id);
      logger.warn({ err, units: ids.length }, 'unit index repair failed; retrying');
    }
    if (failed.size === 0 && repairTimer) {
      clearInterval(repairTimer);
      repairTimer = undefined;
    }
  }

  const scan = async (mode: 'page' | 'count', plan: IndexPlan, after: string | null, limit: number) =>
    redis.eval(
      SCAN,
      2 + plan.sets.length,
      keys.ready,
      keys.line,
      ...plan.sets.map((s) => setPrefix + s),
      mode,
      after ?? '',
      limit,
      ...plan.wants,
      plan.needle,
    );

  async function dropAll(): Promise<void> {
    await redis.unlink(keys.ready, keys.meta, keys.docs, keys.line);
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${setPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
  }

  return {
    async record(unit) {
      try {
        await write(unit);
      } catch (err) {
        logger.error({ err, unitId: unit._id }, 'unit index not updated; retrying from the store');
        failed.add(unit._id);
        repairTimer ??= setInterval(() => void repair(), repairEveryMs).unref();
      }
    },
    async ready() {
      return (await redis.exists(keys.ready)) === 1;
    },
    async docs(ids) {
      if (ids.length === 0) return [];
      const raw = await redis.hmget(keys.docs, ...ids);
      return raw.map((json) => (json ? (JSON.parse(json) as UnitDoc) : null));
    },
    async page(plan, after, limit) {
      const ids = await scan('page', plan, after, limit);
      return Array.isArray(ids) ? (ids as string[]) : null;
    },
    async count(plan) {
      const n = Number(await scan('count', plan, null, 0));
      return n < 0 ? null : n;
    },
    async rebuild(m, opts) {
      const started = Date.now();
      if (opts?.fresh) await dropAll();
      let n = 0;
      let batch: Array<Promise<void>> = [];
      for await (const unit of m.units.find().lean<UnitDoc[]>().cursor()) {
        batch.push(write(unit));
        n += 1;
        if (batch.length >= BUILD_BATCH) {
          await Promise.all(batch);
          batch = [];
        }
      }
      await Promise.all(batch);
      await redis.set(keys.ready, String(Date.now()));
      logger.info({ units: n, ms: Date.now() - started }, 'unit index built');
      return n;
    },
    async rebuildIfMissing(m) {
      if (!(await this.ready())) await this.rebuild(m);
    },
    async close() {
      if (repairTimer) clearInterval(repairTimer);
      repairTimer = undefined;
      if (failed.size > 0) await repair();
    },
  };
}
