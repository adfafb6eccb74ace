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

// Members are "<ISO time>|<read id>" at one score, so Redis orders them by time, then id, with no
// ties: a cursor is the last member seen, and the next page starts strictly below it.
const member = (doc: Pick<PersonalDataReadDoc, '_id' | 'at'>) => `${new Date(doc.at).toISOString()}|${doc._id}`;
const idOf = (m: string) => m.slice(m.indexOf('|') + 1);

const encode = (m: string) => Buffer.from(`t:${m}`, 'utf8').toString('base64url');

function decode(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^t:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|.+$/.test(raw)) {
    throw new AppError('VALIDATION_FAILED', 'invalid cursor', {
      details: [{ path: '$.after', reason: 'not a cursor this API issued' }],
    });
  }
  return raw.slice(2);
}

export function personalDataTrail(deps: {
  models: Pick<EntitiesModels, 'personalDataReads'>;
  redis: Redis;
  prefix: string;
  logger: Logger;
}) {
  const { redis, prefix } = deps;
  const underKey = (code: string) => `${prefix}pii:under:${code}`;
  const readerKey = (code: string, subject: string) => `${prefix}pii:under:${code}:reader:${subject}`;
  const builtMarker = `${prefix}pii:built`;
  const collection = deps.models.personalDataReads.collection as unknown as Collection<PersonalDataReadDoc>;

  const index = (doc: PersonalDataReadDoc) => {
    const m = member(doc);
    const batch = redis.pipeline();
    for (const code of doc.scope) batch.zadd(underKey(code), 0, m).zadd(readerKey(code, doc.reader.subject), 0, m);
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
      // `<time>|` is below every member of that millisecond and `<time>|~` above them all (read ids
      // are UUIDs: digits, a–f and dashes), so the bounds take whole milliseconds.
      const min = filter.from ? `[${filter.from.toISOString()}|` : '-';
      const top = filter.to ? `[${filter.to.toISOString()}|~` : '+';
      const max = after ? `(${decode(after)}` : top;
      const members = await redis.zrevrangebylex(key, max, min, 'LIMIT', 0, first + 1);
      const ids = members.slice(0, first).map(idOf);
      const docs = ids.length === 0 ? [] : await collection.find({ _id: { $in: ids } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, d]));
      const last = members.slice(0, first).at(-1);
      return {
        nodes: ids.flatMap((id) => byId.get(id) ?? []),
        hasNextPage: members.length > first,
        endCursor: last ? encode(last) : null,
        totalCount: () => redis.zlexcount(key, min, top),
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
