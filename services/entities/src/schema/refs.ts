import { maskMobile } from '@firegov/contracts';
import { addSharedTypes, createSubgraphBuilder, showPersonalData, type Page } from '@firegov/service';
import type { ObjectFieldBuilder } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { who, type GraphContext } from './context.ts';

// What every schema module shares: the builder, the shared types (typed mutation error, page info),
// and the few refs used by more than one aggregate.

export const builder = createSubgraphBuilder<GraphContext>();

export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The fields every connection has: `totalCount` (counted only when selected) and `pageInfo`. */
export const pageFields = <T>(t: ObjectFieldBuilder<Types, Page<T>>) => ({
  totalCount: t.int({ resolve: (p) => p.totalCount() }),
  pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p }),
});

/**
 * Whether the field being resolved may show its personal data unmasked: only to roles that work with
 * people door to door, and each value so shown is counted in the answer's audit record.
 */
export const unmaskedFor = (ctx: GraphContext, info: GraphQLResolveInfo): boolean =>
  showPersonalData(ctx, who(ctx), `${info.parentType.name}.${info.fieldName}`);

/** A phone as the caller may see it: whole (and recorded) for roles that work with people door to door, else masked. */
export const phoneFor = (ctx: GraphContext, phone: string | undefined, info: GraphQLResolveInfo): string | null =>
  phone ? (unmaskedFor(ctx, info) ? phone : maskMobile(phone)) : null;

export const ContactInput = builder.inputType('ContactInput', {
  fields: (t) => ({ name: t.string({ required: true }), phone: t.string({ required: true }) }),
});
