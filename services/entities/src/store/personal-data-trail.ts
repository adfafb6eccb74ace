import { divisionScope, type PersonalDataRead } from '@firegov/contracts';
import { AppError, type Logger, type Redis } from '@firegov/kit';
import type { Collection } from 'mongodb';
import type { EntitiesModels, PersonalDataReadDoc } from './models.ts';

// The county's audit trail of personal data shown unmasked (个人信息查询记录), from every service's
// personal-data-reads topic. The store keeps each record once (its read id); Redis keeps, per
// jurisdiction the reader sits under (and per reader within it), the read ids by time, so a page of the trail
// is a range of a sorted set and point reads, never a scan of a collection that only grows.

export interface TrailFilter {
  /** Only this reader's reads (their token subject). */
  reader?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface TrailPage {
  nodes: PersonalDataReadDoc[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: () => Promise<number>;
}

const TIES = 50;

const encode = (score: number, id: string) => Buffer.from(`t:${score}:${id}`, 'utf8').toString('base64url');

function decode(cursor: string): { score: number; id: string } {
  const m = /^t:(\d+):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) {
    throw new AppError('VALIDATION_FAILED', 'invalid cursor', {
      details: [{ path: '$.after', reason: 'not a cursor this API issued' }],
    });
  }
  return { score: Number(m[1]), id: m[2] as string };
}

export function personalDataTrail(deps: {
  models: Pick<EntitiesModels, 'personalDataReads'>;
  redis: Redis;
  prefix: string;
  logger: Logger;
}) {
  const { redis, prefix } = deps;
  const underKey = (code: string) => `${prefix}pdr:under:${code}`;
  const readerKey = (code: string, subject: string) => `${prefix}pdr:under:${code}:reader:${subject}`;
  const builtMarker = `${prefix}pdr:built`;
  const collection = deps.models.personalDataReads.collection as unknown as Collection<PersonalDataReadDoc>;

  const index = (doc: PersonalDataReadDoc) => {
    const at = Date.parse(doc.at);
    const batch = redis.pipeline();
    for (const code of doc.scope) {
      batch.zadd(underKey(code), at, doc._id).zadd(readerKey(code, doc.reader.subject), at, doc._id);
    }
    return batch;
  };

  return {
    /** Keeps one record: stored once by its read id, then indexed (both idempotent, so a redelivery is harmless). */
    async record(read: PersonalDataRead): Promise<void> {
      const { readId, ...rest } = read;
      const doc: PersonalDataReadDoc = { _id: readId, ...rest, scope: divisionScope(read.reader.jurisdiction) };
      try {
        await collection.insertOne(doc);
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      await index(doc).exec();
    },

    /**
     * The newest reads first, of readers under `scope` (the caller's jurisdiction), narrowed by the
     * filter. A cursor names the last read seen by its time and id, so reads recorded while a client
     * pages do not shift its pages.
     */
    async page(scope: string, filter: TrailFilter, first: number, after?: string): Promise<TrailPage> {
      const key = filter.reader ? readerKey(scope, filter.reader) : underKey(scope);
      const min = filter.from ? String(filter.from.getTime()) : '-inf';
      const cursor = after ? decode(after) : undefined;
      const max = cursor ? String(cursor.score) : filter.to ? String(filter.to.getTime()) : '+inf';
      const raw = await redis.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', 0, first + 1 + (cursor ? TIES : 0));
      let entries: Array<{ id: string; score: number }> = [];
      for (let i = 0; i < raw.length; i += 2) entries.push({ id: raw[i] as string, score: Number(raw[i + 1]) });
      // Within one millisecond Redis orders members by id, descending here: skip up to the cursor's.
      if (cursor) entries = entries.filter((e) => e.score < cursor.score || e.id < cursor.id);
      const ids = entries.slice(0, first).map((e) => e.id);
      const docs = ids.length === 0 ? [] : await collection.find({ _id: { $in: ids } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, d]));
      const nodes = ids.flatMap((id) => byId.get(id) ?? []);
      const last = entries.slice(0, first).at(-1);
      return {
        nodes,
        hasNextPage: entries.length > first,
        endCursor: last ? encode(last.score, last.id) : null,
        totalCount: () => redis.zcount(key, min, filter.to ? String(filter.to.getTime()) : '+inf'),
      };
    },

    /** Rebuilds the Redis lists from the store when they are gone (Redis lost its data); null when they are there. */
    async rebuildIfLost(): Promise<number | null> {
      if ((await redis.exists(builtMarker)) === 1) return null;
      let indexed = 0;
      for await (const doc of collection.find({})) {
        await index(doc).exec();
        indexed += 1;
      }
      await redis.set(builtMarker, new Date().toISOString());
      if (indexed > 0) deps.logger.info({ indexed }, 'personal data trail re-indexed from the store');
      return indexed;
    },
  };
}

export type PersonalDataTrail = ReturnType<typeof personalDataTrail>;
