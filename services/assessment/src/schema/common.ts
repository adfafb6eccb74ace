import { AppError, type ErrorDetail } from '@firegov/kit';
import { builder } from './builder.ts';

export { dropNulls } from '@firegov/subgraph';

// Shared by every subgraph (same name and fields), hence @shareable for composition.
export const ErrorDetailRef = builder.objectRef<ErrorDetail>('ErrorDetail').implement({
  shareable: true,
  description: 'One refused field: where (a JSON path into the input) and why.',
  fields: (t) => ({ path: t.exposeString('path'), reason: t.exposeString('reason') }),
});

builder.objectType(AppError, {
  name: 'MutationError',
  shareable: true,
  description:
    'An expected refusal. `code` is stable: VALIDATION_FAILED, CONFLICT (a step the record’s state does not allow, or a stale version), FORBIDDEN, NOT_FOUND, UNAUTHENTICATED.',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
    details: t.field({ type: [ErrorDetailRef], resolve: (e) => e.details }),
  }),
});

export const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  shareable: true,
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

export const enumValues = (values: readonly string[], labels?: Record<string, { zh: string; en: string }>) =>
  Object.fromEntries(
    values.map((v) => [v, { value: v, ...(labels?.[v] ? { description: `${labels[v].zh} / ${labels[v].en}` } : {}) }]),
  );

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
