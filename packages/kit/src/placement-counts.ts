import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/**
 * Where one document is counted: under each of `codes` (the jurisdiction codes it is in), once in
 * each of `cells` (e.g. `<village>|online`). Null: counted nowhere (retired, deregistered).
 */
export interface Placement {
  codes: readonly string[];
  cells: readonly string[];
}

/**
 * Counts kept in Redis so a dashboard reads one hash instead of a collection: for every code,
 * how many documents are in each cell. Each document's placement is remembered, so recording it
 * again changes nothing and a change moves it from its old cells to its new ones in one Lua script.
 *
 * Layout under `<key>:`: `gen` the generation readers use; `<gen>:placed` document id → its
 * encoded placement; `<gen>:c:<code>` cell → count. A rebuild writes a new generation from the
 * store and then switches readers to it in one step, so nobody reads half-built counts.
 *
 * Writers record a document after their store write. A record that fails is logged, not retried,
 * and two processes recording one document at the same moment may leave the older placement: the
 * owner rebuilds from the store periodically (and on start when no generation exists).
 */
export interface PlacementCounts {
  /** Counts a document where its placement says (idempotent). Never throws. */
  record(id: string, placement: Placement | null): Promise<void>;
  /** Cell → count under one code (empty when nothing is counted there). */
  cells(code: string): Promise<Map<string, number>>;
  /** Whether a build completed (false: answer from the store). */
  ready(): Promise<boolean>;
  /** Recounts every document the source yields into a new generation, then switches to it. */
  rebuild(source: AsyncIterable<{ id: string; placement: Placement | null }>): Promise<number>;
}

// KEYS: placed hash. ARGV: id, encoded placement ('' = nowhere), count key prefix.
// Encoded: codes joined by ',' then a tab, then the cells joined by tabs.
const RECORD = `
local old = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if old == ARGV[2] then return 0 end
local function place(encoded, delta)
  if encoded == '' then return end
  local tab = string.find(encoded, '\\t', 1, true)
  local cells = string.sub(encoded, tab + 1)
  for code in string.gmatch(string.sub(encoded, 1, tab - 1), '[^,]+') do
    local key = ARGV[3] .. code
    for cell in string.gmatch(cells, '[^\\t]+') do
      if redis.call('HINCRBY', key, cell, delta) <= 0 then redis.call('HDEL', key, cell) end
    end
  end
end
place(old, -1)
place(ARGV[2], 1)
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
`;

const BUILD_BATCH = 200;

export function encodePlacement(p: Placement | null): string {
  if (!p || p.codes.length === 0 || p.cells.length === 0) return '';
  for (const part of [...p.codes, ...p.cells]) {
    if (part === '' || /[\t,]/.test(part))
      throw new Error(`placement part ${JSON.stringify(part)} is empty or has a tab or comma`);
  }
  return `${p.codes.join(',')}\t${p.cells.join('\t')}`;
}

export function placementCounts(redis: Redis, opts: { key: string; logger: Logger }): PlacementCounts {
  const { key, logger } = opts;
  const genKey = `${key}:gen`;
  const placedKey = (gen: string) => `${key}:${gen}:placed`;
  const countPrefix = (gen: string) => `${key}:${gen}:c:`;
  const generation = async () => (await redis.get(genKey)) ?? '0';

  const write = async (gen: string, id: string, encoded: string) => {
    await redis.eval(RECORD, 1, placedKey(gen), id, encoded, countPrefix(gen));
  };

  async function dropGeneration(gen: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${countPrefix(gen)}*`, 'COUNT', 500);
      cursor = next;
      if (found.length > 0) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.unlink(placedKey(gen));
  }

  return {
    async record(id, placement) {
      try {
        await write(await generation(), id, encodePlacement(placement));
      } catch (err) {
        logger.error({ err, id, counts: key }, 'counts not updated; the next rebuild repairs them');
      }
    },
    async cells(code) {
      const raw = await redis.hgetall(`${countPrefix(await generation())}${code}`);
      return new Map(Object.entries(raw).map(([cell, n]) => [cell, Number(n)]));
    },
    async ready() {
      return (await redis.exists(genKey)) === 1;
    },
    async rebuild(source) {
      const started = Date.now();
      const old = await generation();
      const gen = String(Number(old) + 1);
      await dropGeneration(gen);
      let n = 0;
      let batch: Array<Promise<void>> = [];
      for await (const { id, placement } of source) {
        batch.push(write(gen, id, encodePlacement(placement)));
        n += 1;
        if (batch.length >= BUILD_BATCH) {
          await Promise.all(batch);
          batch = [];
        }
      }
      await Promise.all(batch);
      await redis.set(genKey, gen);
      await dropGeneration(old);
      logger.info({ counts: key, documents: n, ms: Date.now() - started, generation: gen }, 'counts rebuilt');
      return n;
    },
  };
}
