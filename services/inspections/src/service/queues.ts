import { isWithinDivision } from '@firegov/contracts';
import type { Identity } from '@firegov/auth';
import { validationFailed } from '@firegov/kit';
import type { Page } from '@firegov/service';
import { countRange, rangePage, type QueueKind, type ScoreRange } from '../store/hazard-index.ts';
import type { HazardDoc, JurisdictionRefDoc } from '../store/models.ts';
import { scopeCode } from './access.ts';
import type { InspectionsDeps } from './deps.ts';
import type { HazardService } from './hazards.ts';

/** Work queues (工作台账) per jurisdiction. */
export const QUEUES = ['overdue', 'due_soon', 'listed', 'awaiting_reinspection', 'open', 'closed'] as const;
export type Queue = (typeof QUEUES)[number];

const DAY = 86_400_000;

function queueSpec(queue: Queue, now: number, withinDays: number): { kind: QueueKind; range: ScoreRange } {
  switch (queue) {
    case 'overdue':
      return { kind: 'due', range: { min: -Infinity, max: now - 1 } };
    case 'due_soon':
      return { kind: 'due', range: { min: now, max: now + withinDays * DAY } };
    case 'listed':
      return { kind: 'listed', range: { min: -Infinity, max: Infinity } };
    case 'awaiting_reinspection':
      return { kind: 'reinspect', range: { min: -Infinity, max: Infinity } };
    case 'open':
      return { kind: 'open', range: { min: -Infinity, max: Infinity } };
    case 'closed':
      return { kind: 'closed', range: { min: -Infinity, max: Infinity } };
  }
}

// Queue cursors are not @firegov/service's (`c:<id>`, for lists in _id order): a queue pages a
// Redis sorted set by score (a deadline, when listed, …), so its cursor is the (score, id) of the
// last row, and cursors already handed out keep this format.
export const encode = (score: number, id: string) => Buffer.from(`q:${score}:${id}`, 'utf8').toString('base64url');
export function decode(cursor: string): { score: number; id: string } {
  const m = /^q:(-?\d+(?:\.\d+)?):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw validationFailed([{ path: '$.after', reason: 'not a cursor this API issued' }], 'invalid cursor');
  return { score: Number(m[1]), id: m[2] as string };
}

export interface QueueStats {
  code: string;
  name: string;
  found: number;
  rectified: number;
  open: number;
  openMajor: number;
  overdue: number;
  listed: number;
  /** rectified / found, 0..1; null when nothing was found. */
  rectificationRate: number | null;
}

export function queueService(deps: InspectionsDeps, hazards: HazardService) {
  const { redis, index, models } = deps;

  async function counts(scope: string, name: string, campaign: string | undefined, now: number): Promise<QueueStats> {
    const k = (kind: QueueKind) => index.queueKey(kind, scope, campaign);
    const all = { min: -Infinity, max: Infinity };
    const [found, rectified, open, openMajor, overdue, listed] = await Promise.all([
      countRange(redis, k('all'), all),
      countRange(redis, k('closed'), all),
      countRange(redis, k('open'), all),
      countRange(redis, k('open_major'), all),
      countRange(redis, k('due'), { min: -Infinity, max: now - 1 }),
      countRange(redis, k('listed'), all),
    ]);
    return {
      code: scope,
      name,
      found,
      rectified,
      open,
      openMajor,
      overdue,
      listed,
      rectificationRate: found ? rectified / found : null,
    };
  }

  /** The townships of a county, the villages of a township, none under a village; in code order. */
  async function childrenOf(scope: string): Promise<JurisdictionRefDoc[]> {
    const level = scope.endsWith('000000') ? 'township' : scope.endsWith('000') ? 'village' : null;
    if (!level) return [];
    // Jurisdictions are a few hundred per county: reading them all beats an unindexed filter.
    const all = await models.jurisdictions.find({}).lean<JurisdictionRefDoc[]>();
    return all
      .filter((j) => j._id !== scope && isWithinDivision(j._id, scope) && j.level === level)
      .sort((a, b) => (a._id < b._id ? -1 : 1));
  }

  return {
    async queue(
      identity: Identity,
      args: { jurisdictionCode?: string | null; queue: Queue; withinDays?: number | null; first: number; after?: string | null },
    ): Promise<Page<HazardDoc>> {
      const scope = scopeCode(identity, args.jurisdictionCode);
      const withinDays = args.withinDays ?? 7;
      if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > 365) {
        throw validationFailed([{ path: '$.withinDays', reason: 'must be an integer from 1 to 365' }], 'invalid withinDays');
      }
      const now = deps.now().getTime();
      const { kind, range } = queueSpec(args.queue, now, withinDays);
      const key = index.queueKey(kind, scope);
      const rows = await rangePage(redis, key, range, args.first, args.after ? decode(args.after) : undefined);
      const page = rows.slice(0, args.first);
      const docs = await hazards.byIds(
        identity,
        page.map((r) => r.id),
      );
      const nodes = docs.filter((d): d is HazardDoc => d !== null);
      const last = page.at(-1);
      return {
        nodes,
        hasNextPage: rows.length > args.first,
        endCursor: last ? encode(last.score, last.id) : null,
        totalCount: () => countRange(redis, key, range),
      };
    },

    /** Per village (or per township for a county): found, rectified, overdue, rate. */
    async byJurisdiction(
      identity: Identity,
      jurisdictionCode?: string | null,
      campaignKey?: string | null,
    ): Promise<QueueStats[]> {
      const scope = scopeCode(identity, jurisdictionCode);
      const now = deps.now().getTime();
      const children = await childrenOf(scope);
      const rows = children.length ? children : [{ _id: scope, name: scope, level: 'village' }];
      return Promise.all(rows.map((j) => counts(j._id, j.name, campaignKey ?? undefined, now)));
    },

    /** Per campaign inside the caller's jurisdiction. */
    async byCampaign(identity: Identity, jurisdictionCode?: string | null): Promise<Array<QueueStats & { campaignKey: string }>> {
      const scope = scopeCode(identity, jurisdictionCode);
      const now = deps.now().getTime();
      const campaigns = await models.campaigns
        .find({})
        .select({ _id: 1, name: 1 })
        .lean<Array<{ _id: string; name: { zh: string } }>>();
      return Promise.all(
        campaigns.map(async (c) => ({ ...(await counts(scope, c.name.zh, c._id, now)), code: scope, campaignKey: c._id })),
      );
    },

    /** 清零: what is still open under each child jurisdiction, and open enforcement cases. */
    async clearToZero(identity: Identity, jurisdictionCode?: string | null) {
      const scope = scopeCode(identity, jurisdictionCode);
      const now = deps.now().getTime();
      const children = await childrenOf(scope);
      const rows = [{ _id: scope, name: (await models.jurisdictions.findById(scope).lean())?.name ?? scope }, ...children];
      const openCases = await models.enforcement
        .find({ scope, status: { $ne: 'closed' } })
        .select({ scope: 1 })
        .lean<Array<{ scope: string[] }>>();
      return Promise.all(
        rows.map(async (j) => {
          const c = await counts(j._id, j.name, undefined, now);
          const cases = openCases.filter((x) => x.scope.includes(j._id)).length;
          return { ...c, openEnforcementCases: cases, cleared: c.open === 0 && cases === 0 };
        }),
      );
    },
  };
}

export type QueueService = ReturnType<typeof queueService>;
