import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
// Imported in this order so the Query and Mutation fields print in it.
import './campaigns.ts';
import './inspections.ts';
import './reports.ts';
import './cases.ts';
import './delegations.ts';
import './hazards.ts';
import './queues.ts';
import './grading.ts';
import './units.ts';
import './supervision.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The inspections subgraph: extends the registry's `Unit` with hazards and inspections. Built once per process. */
export function inspectionsSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const inspectionsSdl = (): string => printSubgraphSchema(inspectionsSubgraphSchema());
