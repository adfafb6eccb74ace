import type { Redis } from 'ioredis';
import { collectionOf } from '@firegov/kit';
import { fromStored } from './assessment-codec.ts';
import type { AssessmentDoc, AssessmentModels } from './models.ts';

/**
 * The lists readers page through, kept in Redis as sorted sets of assessment ids: per unit (by
 * assessment date), per agency (by submission time) and the 抽查 queue (sampled, not yet audited).
 * The store stays the truth; readers load each id from it.
 */
export function assessmentLists(redis: Redis, prefix: string) {
  const ofUnit = (unitId: string) => `${prefix}u:a:${unitId}`;
  const ofAgency = (agencyId: string) => `${prefix}ag:a:${agencyId}`;
  const auditPending = `${prefix}audit:pending`;
  // Set once the lists hold every stored assessment; a Redis that lost its data has none.
  const builtMarker = `${prefix}lists:built`;

  return {
    /** A new assessment joins its unit's and its agency's lists, and the audit queue when it was drawn. */
    async added(doc: Pick<AssessmentDoc, '_id' | 'unitId' | 'agencyId' | 'sampled' | 'current' | 'createdAt'>): Promise<void> {
      const at = Date.parse(doc.createdAt);
      const lists = redis
        .multi()
        .zadd(ofUnit(doc.unitId), Date.parse(doc.current.assessedOn), doc._id)
        .zadd(ofAgency(doc.agencyId), at, doc._id);
      if (doc.sampled) lists.zadd(auditPending, at, doc._id);
      await lists.exec();
    },

    async audited(id: string): Promise<void> {
      await redis.zrem(auditPending, id);
    },

    /** Per unit, the newest `limit` ids by assessment date, in one round trip. */
    async newestOfUnits(unitIds: readonly string[], limit = 50): Promise<string[][]> {
      const tx = redis.pipeline();
      for (const id of unitIds) tx.zrevrange(ofUnit(id), 0, limit - 1);
      return ((await tx.exec()) ?? []).map(([err, ids]) => (err ? [] : (ids as string[])));
    },

    newestOfAgency: (agencyId: string, limit: number): Promise<string[]> => redis.zrevrange(ofAgency(agencyId), 0, limit - 1),

    /**
     * Builds every list again from the store when Redis has lost them (a new Redis, or one restarted
     * without its data): before this, such a Redis left every agency's and unit's list empty for
     * good. Resolves with the number of assessments listed, or null when the lists were there.
     */
    async rebuildIfLost(models: Pick<AssessmentModels, 'assessments'>): Promise<number | null> {
      if ((await redis.exists(builtMarker)) === 1) return null;
      let listed = 0;
      let batch = redis.pipeline();
      // The outbox is all the store holds beyond what a list needs; versions carry the assessment date.
      const cursor = collectionOf(models.assessments).find({}, { projection: { outbox: 0 } });
      for await (const raw of cursor) {
        const doc = fromStored(raw);
        const at = Date.parse(doc.createdAt);
        batch.zadd(ofUnit(doc.unitId), Date.parse(doc.current.assessedOn), doc._id).zadd(ofAgency(doc.agencyId), at, doc._id);
        if (doc.sampled && !doc.audit) batch.zadd(auditPending, at, doc._id);
        listed += 1;
        if (listed % 500 === 0) {
          await batch.exec();
          batch = redis.pipeline();
        }
      }
      await batch.set(builtMarker, new Date().toISOString()).exec();
      return listed;
    },

    /** The oldest `limit` drawn assessments still awaiting re-inspection. */
    auditQueue: (limit = 500): Promise<string[]> => redis.zrange(auditPending, 0, limit - 1),
  };
}

export type AssessmentLists = ReturnType<typeof assessmentLists>;
