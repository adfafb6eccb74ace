import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
// Imported in this order so the Query and Mutation fields print in it.
import './agencies.ts';
import './api-clients.ts';
import './credit.ts';
import './assessments.ts';
import './audits.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The assessment subgraph: agencies and assessments; extends the registry's `Unit`. */
export function assessmentSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const assessmentSdl = (): string => printSubgraphSchema(assessmentSubgraphSchema());
