import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
import './client.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The identity subgraph, built once per process. */
export function identitySubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const identitySdl = (): string => printSubgraphSchema(identitySubgraphSchema());
