import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './common.ts';
import './agencies.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The assessment subgraph: agencies and assessments; extends the registry's `Unit`. */
export function assessmentSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const assessmentSdl = (): string => printSubgraphSchema(assessmentSubgraphSchema());
