import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
import './devices.ts';
import './readings.ts';
import './alarms.ts';
import './entities.ts';
import './health.ts';
import './profiles.ts';
import './gateways.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The sensors subgraph, built once per process. */
export function sensorsSubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const sensorsSdl = (): string => printSubgraphSchema(sensorsSubgraphSchema());
