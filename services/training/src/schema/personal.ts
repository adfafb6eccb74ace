import { canSeePersonalData } from '@firegov/auth';
import { showPersonalData } from '@firegov/service';
import type { GraphQLResolveInfo } from 'graphql';
import { who, type GraphContext } from './context.ts';

/**
 * A personal value (phone, 身份证号) as the caller may see it: masked for roles that do not work
 * with personal data (the service layer masked it already; masking is idempotent, so this does not
 * depend on that); whole for those that do, and then counted in the answer's audit record. Should
 * no audit be there to count it, it is masked too.
 */
export function personal(
  ctx: GraphContext,
  info: GraphQLResolveInfo,
  value: string | null | undefined,
  mask: (v: string) => string,
): string | null {
  if (value === null || value === undefined || value === '') return value ?? null;
  const identity = who(ctx);
  if (!canSeePersonalData(identity.role)) return mask(value);
  return showPersonalData(ctx, identity, `${info.parentType.name}.${info.fieldName}`) ? value : mask(value);
}
