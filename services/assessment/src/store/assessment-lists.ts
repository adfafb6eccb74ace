import type { Redis } from 'ioredis';
import type { AssessmentDoc } from './models.ts';

/**
 * The lists readers page through, kept in Redis as sorted sets of assessment ids: per unit (by
 * assessment date), per agency (by submission time) and the 抽查 queue (sampled, not yet audited).
 * The store stays the truth; readers load each id from it.
 */
export function assessmentLists(redis: Redis, prefix: string) {
  const ofUnit = (unitId: string) => `${prefix}u:a:${unitId}`;
  const ofAgency = (agencyId: string) => `${prefix}ag:a:${agencyId}`;
  const auditPending = `${prefix}audit:pending`;

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

    /** The oldest `limit` drawn assessments still awaiting re-inspection. */
    auditQueue: (limit = 500): Promise<string[]> => redis.zrange(auditPending, 0, limit - 1),
  };
}

export type AssessmentLists = ReturnType<typeof assessmentLists>;
