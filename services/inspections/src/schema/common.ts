import { AppError } from '@firegov/kit';
import { addSharedTypes } from '@firegov/subgraph';
import { builder } from './builder.ts';

export { dropNulls, enumValues } from '@firegov/subgraph';

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);

export const PAGE_MAX = 100;

export function pageSize(first: number | null | undefined, def = 20): number {
  const n = first ?? def;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_MAX) {
    throw new AppError('VALIDATION_FAILED', 'invalid page size', {
      details: [{ path: '$.first', reason: `must be an integer from 1 to ${PAGE_MAX}` }],
    });
  }
  return n;
}
