import { divisionScope } from '@firegov/contracts';
import type { Identity } from '@firegov/auth';
import type { OutboxRelay } from '@firegov/events';
import { forbidden } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import type { Collection, Document, Filter } from 'mongodb';
import { CONTENT_AUTHORS } from '../domain/courses.ts';
import type { TrainingModels } from '../store/models.ts';

export interface LearningDeps {
  models: TrainingModels;
  relay: OutboxRelay;
  now: () => Date;
}

export function assertRole(who: Identity, roles: readonly string[], action: string): void {
  if (!roles.includes(who.role)) throw forbidden(`role ${who.role} may not ${action}`);
}

export const assertAuthor = (who: Identity, what: string): void => assertRole(who, CONTENT_AUTHORS, `write ${what}`);

/** Content the caller sees: written inside its jurisdiction, or by a jurisdiction above it. */
export const contentFilter = (who: Identity): Document => ({
  $or: [{ scope: who.jurisdiction }, { jurisdictionCode: { $in: divisionScope(who.jurisdiction) } }],
});

/** A page of `filter` in _id order (ids are time-ordered: oldest first). */
export async function pageIn<D extends { _id: string }>(
  col: Collection<D>,
  filter: Document,
  first: number | null | undefined,
  after: string | null | undefined,
  projection: Document = {},
): Promise<Page<D>> {
  const limit = pageSize(first);
  const paged = after ? { $and: [filter, { _id: { $gt: decodeCursor(after) } }] } : filter;
  const docs = (await col
    .find(paged as Filter<D>, { projection })
    .sort({ _id: 1 })
    .limit(limit + 1)
    .toArray()) as D[];
  return pageOf(docs, limit, () => col.countDocuments(filter as Filter<D>));
}

/** Stored documents without their outbox. */
export const NO_OUTBOX = { outbox: 0, outboxPending: 0 } as const;
