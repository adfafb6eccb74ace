import { AppError } from '@firegov/kit';

/** Relay cursors are opaque: base64url of the last _id seen (ids sort in creation order). */
export const encodeCursor = (id: string): string => Buffer.from(`c:${id}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c:') || raw.length < 3) {
    throw new AppError('VALIDATION_FAILED', 'invalid cursor', {
      details: [{ path: '$.after', reason: 'not a cursor this API issued' }],
    });
  }
  return raw.slice(2);
}

/** The most records one page may ask for: a client pages rather than pulling a county at once. */
export const PAGE_MAX = 100;

/** `first` as the page size: `def` when not given, refused outside 1..PAGE_MAX. */
export function pageSize(first: number | null | undefined, def = 20): number {
  const n = first ?? def;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_MAX) {
    throw new AppError('VALIDATION_FAILED', 'invalid page size', {
      details: [{ path: '$.first', reason: `must be an integer from 1 to ${PAGE_MAX}` }],
    });
  }
  return n;
}

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  /** Counted only when asked for: a count is a second query over the whole filter. */
  totalCount: () => Promise<number>;
}

/** One page from `limit + 1` documents read in _id order: the extra one only says there is a next page. */
export function pageOf<T extends { _id: string }>(docs: T[], limit: number, count: () => Promise<number>): Page<T> {
  const nodes = docs.slice(0, limit);
  const last = nodes.at(-1);
  return { nodes, hasNextPage: docs.length > limit, endCursor: last ? encodeCursor(last._id) : null, totalCount: count };
}
