import { GraphQLEnumType, type GraphQLSchema } from 'graphql';
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import { AppError, type ErrorDetail } from '@firegov/kit';
import type { Page } from '../pagination.ts';

export interface SubgraphTypes<C extends object> {
  Context: C;
  DefaultFieldNullability: false;
}

/** The Pothos builder every subgraph uses: federation, typed mutation errors, fields non-null by default. */
export function createSubgraphBuilder<C extends object>() {
  return new SchemaBuilder<SubgraphTypes<C>>({
    plugins: [ErrorsPlugin, DirectivesPlugin, FederationPlugin],
    defaultFieldNullability: false,
    errors: { defaultTypes: [] },
  });
}

export type SubgraphBuilder<C extends object> = ReturnType<typeof createSubgraphBuilder<C>>;

/**
 * The types every subgraph declares alike — the typed mutation error and page info — marked
 * @shareable so the subgraphs compose, and the page type over any node. Call once per builder.
 */
export function addSharedTypes<C extends object>(builder: SubgraphBuilder<C>) {
  const ErrorDetailRef = builder.objectRef<ErrorDetail>('ErrorDetail').implement({
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
  const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
    shareable: true,
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });
  /** `<Name>Page { nodes, pageInfo, totalCount }` over a node type. */
  function pageRef<T>(name: string, node: ReturnType<ReturnType<typeof builder.objectRef<T>>['implement']>) {
    return builder.objectRef<Page<T>>(`${name}Page`).implement({
      fields: (t) => ({
        nodes: t.field({ type: [node], resolve: (p) => p.nodes }),
        pageInfo: t.field({ type: PageInfoRef, resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.endCursor }) }),
        totalCount: t.int({ resolve: (p) => p.totalCount() }),
      }),
    });
  }
  /** Another subgraph's entity keyed by `id` (Unit, Household), for this subgraph to add fields to. */
  const externalById = (name: string) => builder.externalRef(name, builder.selection<{ id: string }>('id'));
  return { ErrorDetailRef, PageInfoRef, pageRef, externalById };
}

/**
 * GraphQL enum values from an enum's keys, described by their zh-CN / English labels (every value
 * needs one: officers read the zh-CN label, and the schema is where clients find it), typed by the
 * keys so resolvers and inputs carry the union rather than `string`.
 */
export function enumValues<V extends string>(
  values: readonly V[],
  labels: Readonly<Record<V, { zh: string; en: string }>>,
): Record<V, { value: V; description: string }> {
  const out = {} as Record<V, { value: V; description: string }>;
  for (const v of values) out[v] = { value: v, description: `${labels[v].zh} / ${labels[v].en}` };
  return out;
}

const HAN = /\p{Script=Han}/u;

/** `Enum.VALUE` for every value of the schema's own enums whose description has no zh-CN label. */
export function unlabelledEnumValues(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    // Introspection's and federation's own enums (__TypeKind, link__Purpose) are not ours to label.
    if (!(type instanceof GraphQLEnumType) || type.name.includes('__')) continue;
    for (const v of type.getValues()) if (!HAN.test(v.description ?? '')) missing.push(`${type.name}.${v.name}`);
  }
  return missing;
}
