import type { Redis } from 'ioredis';
import type { ScheduleDoc } from './models.ts';

/**
 * Inspection schedules in Redis, so the due queue and the ladder's sweep never scan the store:
 * `<prefix>sup:due:<code>` orders the active units under a jurisdiction code by due date (ms), and
 * `<prefix>sup:check` orders them by when the ladder next has something to do. Rebuilt from the
 * store with the hazard indexes (store/rebuild.ts).
 */
export interface ScheduleIndex {
  dueKey(code: string): string;
  checkKey(): string;
  /** Puts the schedule where its document says; `previousScope` takes it out of codes it left. */
  put(doc: ScheduleDoc, previousScope?: readonly string[]): Promise<void>;
  forgetCheck(unitId: string): Promise<void>;
}

export function scheduleIndex(redis: Redis, prefix: string): ScheduleIndex {
  const dueKey = (code: string) => `${prefix}sup:due:${code}`;
  const checkKey = () => `${prefix}sup:check`;
  return {
    dueKey,
    checkKey,
    async put(doc, previousScope = []) {
      const tx = redis.multi();
      for (const code of previousScope) if (!doc.active || !doc.scope.includes(code)) tx.zrem(dueKey(code), doc._id);
      if (doc.active) for (const code of doc.scope) tx.zadd(dueKey(code), Date.parse(doc.dueAt), doc._id);
      else for (const code of doc.scope) tx.zrem(dueKey(code), doc._id);
      if (doc.active && doc.nextCheckAt) tx.zadd(checkKey(), Date.parse(doc.nextCheckAt), doc._id);
      else tx.zrem(checkKey(), doc._id);
      await tx.exec();
    },
    async forgetCheck(unitId) {
      await redis.zrem(checkKey(), unitId);
    },
  };
}
