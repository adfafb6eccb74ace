import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
import './units.ts';
import './jurisdictions.ts';
import './households.ts';
import './fire-teams.ts';
import './departments.ts';
import './committees.ts';
import './duty-assessments.ts';
import './personal-data-reads.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The entities subgraph: `Unit` is a federation entity keyed by id. Built once per process. */
export function entitiesSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const entitiesSdl = (): string => printSubgraphSchema(entitiesSubgraphSchema());
