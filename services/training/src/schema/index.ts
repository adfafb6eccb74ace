import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
import './learning.ts';
import './outreach.ts';
import './people.ts';
import './compliance.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The training subgraph, built once per process. */
export function trainingSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const trainingSdl = (): string => printSubgraphSchema(trainingSubgraphSchema());
