import type { Redis } from 'ioredis';
import type { HazardDoc, InspectionDoc } from './models.ts';

/**
 * Sorted sets in Redis that serve every hot read of hazards: the escalation sweep ("what is due
 * by now"), the work queues per jurisdiction (overdue, due within N days, listed supervision,
 * awaiting re-inspection), per-unit lists and the statistics.
 *
 * Why not the store's indexes: the local store (FerretDB on SQLite) uses no secondary index, so
 * "deadline < now" over 100,000 hazards is a full scan (~30 s). A ZRANGE BYSCORE is O(log n + m).
 *
 * The sets are derived data: `indexHazard` sets every membership of one hazard from its document
 * (idempotent, so it can run any number of times), it runs after each write, and
 * `rebuildIndexes` recomputes all of them from the store. Readers always load the documents and
 * check them, so a stale member can at worst cost a wasted read, never a wrong answer.
 */

export const QUEUE_KINDS = ['all', 'open', 'open_major', 'due', 'reinspect', 'listed', 'closed'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** '*' is "every campaign"; hazards outside any campaign are only under '*'. */
export const ANY_CAMPAIGN = '*';

export interface HazardIndex {
  readonly prefix: string;
  queueKey(kind: QueueKind, scope: string, campaign?: string): string;
  sweepKey(): string;
  unitHazardsKey(unitId: string): string;
  unitOpenKey(unitId: string): string;
  unitInspectionsKey(unitId: string): string;
  builtKey(): string;
  /** Hash of id → the hazard document as JSON: the read model the queues page from. */
  docsKey(): string;
}

export function hazardIndex(prefix: string): HazardIndex {
  return {
    prefix,
    queueKey: (kind, scope, campaign = ANY_CAMPAIGN) => `${prefix}h:${kind}:${scope}:${campaign}`,
    sweepKey: () => `${prefix}sweep`,
    unitHazardsKey: (unitId) => `${prefix}u:h:${unitId}`,
    unitOpenKey: (unitId) => `${prefix}u:open:${unitId}`,
    unitInspectionsKey: (unitId) => `${prefix}u:i:${unitId}`,
    builtKey: () => `${prefix}index:built`,
    docsKey: () => `${prefix}h:docs`,
  };
}

const ms = (iso: string | undefined | null): number | null => (iso ? Date.parse(iso) : null);

type HazardForIndex = Pick<
  HazardDoc,
  '_id' | 'unitId' | 'scope' | 'campaignKey' | 'state' | 'escalation' | 'nextCheckAt' | 'foundAt'
>;

// Fields that never reach a reader: the outbox belongs to the relay.
const READ_MODEL_OMITS = new Set(['outbox', 'outboxPending', 'appliedEventIds']);

/** Where one hazard belongs in each queue (score) or not (null): the pure half of indexing. */
export function memberships(h: HazardForIndex): Record<QueueKind, number | null> {
  const { status, grade, order, rectifiedReportedAt, closedAt } = h.state;
  const open = status === 'open' || status === 'rectifying' || status === 'awaiting_reinspection';
  const listedAt = h.escalation.countyListedAt ?? h.escalation.townshipListedAt;
  const level = h.escalation.level;
  return {
    all: status === 'dismissed' ? null : ms(h.foundAt),
    open: open ? ms(h.foundAt) : null,
    open_major: open && grade === 'major' ? ms(h.foundAt) : null,
    due: status === 'rectifying' && order ? ms(order.deadline) : null,
    reinspect: status === 'awaiting_reinspection' ? (ms(rectifiedReportedAt) ?? ms(h.foundAt)) : null,
    listed: open && (level === 'township_supervision' || level === 'county_supervision') ? ms(listedAt) : null,
    closed: status === 'closed' ? ms(closedAt) : null,
  };
}

/**
 * Puts one hazard where it belongs in every set, takes it out of the others, and stores its
 * document in the read model — one MULTI, so a reader never sees the sets and the document disagree.
 */
export async function indexHazard(redis: Redis, idx: HazardIndex, h: HazardDoc): Promise<void> {
  const m = memberships(h);
  const campaigns = h.campaignKey ? [ANY_CAMPAIGN, h.campaignKey] : [ANY_CAMPAIGN];
  const tx = redis.multi();
  tx.hset(
    idx.docsKey(),
    h._id,
    JSON.stringify(h, (k, v: unknown) => (READ_MODEL_OMITS.has(k) ? undefined : v)),
  );
  for (const scope of h.scope) {
    for (const campaign of campaigns) {
      for (const kind of QUEUE_KINDS) {
        const key = idx.queueKey(kind, scope, campaign);
        const score = m[kind];
        if (score === null) tx.zrem(key, h._id);
        else tx.zadd(key, score, h._id);
      }
    }
  }
  const next = ms(h.nextCheckAt);
  if (next === null) tx.zrem(idx.sweepKey(), h._id);
  else tx.zadd(idx.sweepKey(), next, h._id);
  if (m.all === null) tx.zrem(idx.unitHazardsKey(h.unitId), h._id);
  else tx.zadd(idx.unitHazardsKey(h.unitId), m.all, h._id);
  if (m.open === null) tx.zrem(idx.unitOpenKey(h.unitId), h._id);
  else tx.zadd(idx.unitOpenKey(h.unitId), m.open, h._id);
  await tx.exec();
}

export async function indexInspection(
  redis: Redis,
  idx: HazardIndex,
  i: Pick<InspectionDoc, '_id' | 'unitId' | 'inspectedAt'>,
): Promise<void> {
  await redis.zadd(idx.unitInspectionsKey(i.unitId), Date.parse(i.inspectedAt), i._id);
}

const bound = (n: number): string => (n === -Infinity ? '-inf' : n === Infinity ? '+inf' : String(n));

export interface ScoreRange {
  min: number;
  max: number;
}

/** One page of ids from a sorted set in score order, after a (score, id) cursor. */
export async function rangePage(
  redis: Redis,
  key: string,
  range: ScoreRange,
  limit: number,
  after?: { score: number; id: string },
): Promise<Array<{ id: string; score: number }>> {
  const min = after ? Math.max(range.min, after.score) : range.min;
  const out: Array<{ id: string; score: number }> = [];
  let offset = 0;
  // Members sharing the cursor's score are skipped up to the cursor's id (Redis orders ties by member).
  for (;;) {
    const batch = await redis.zrange(key, bound(min), bound(range.max), 'BYSCORE', 'LIMIT', offset, limit + 50, 'WITHSCORES');
    for (let i = 0; i < batch.length; i += 2) {
      const id = batch[i] as string;
      const score = Number(batch[i + 1]);
      if (after && score === after.score && id <= after.id) continue;
      out.push({ id, score });
      if (out.length > limit) return out;
    }
    if (batch.length < (limit + 50) * 2) return out;
    offset += limit + 50;
  }
}

export const countRange = (redis: Redis, key: string, range: ScoreRange): Promise<number> =>
  redis.zcount(key, bound(range.min), bound(range.max));

/**
 * Hazard documents from the read model, in the order asked; null where Redis has none (the caller
 * falls back to the store). Queues page through thousands of hazards per second this way, where
 * the local store manages a few thousand point reads per second in all.
 */
export async function readModel(redis: Redis, idx: HazardIndex, ids: readonly string[]): Promise<Array<HazardDoc | null>> {
  if (ids.length === 0) return [];
  const raw = await redis.hmget(idx.docsKey(), ...ids);
  return raw.map((r) => (r ? (JSON.parse(r) as HazardDoc) : null));
}
