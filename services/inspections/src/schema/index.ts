import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './common.ts';
import './hazards.ts';
import './records.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The inspections subgraph: extends the registry's `Unit` with hazards and inspections. Built once per process. */
export function inspectionsSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const inspectionsSdl = (): string => printSubgraphSchema(inspectionsSubgraphSchema());
