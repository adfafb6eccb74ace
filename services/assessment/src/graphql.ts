import type { Logger } from '@firegov/kit';
import { createSubgraphYoga } from '@firegov/subgraph';
import type { YogaServerInstance } from 'graphql-yoga';
import { createGraphContext, type GraphContext, type Services } from './schema/context.ts';
import { assessmentSubgraphSchema } from './schema/index.ts';

export function createAssessmentYoga(opts: {
  services: Services;
  jwtSecret: string;
  logger: Logger;
}): YogaServerInstance<Record<string, unknown>, GraphContext> {
  return createSubgraphYoga<GraphContext>({
    schema: assessmentSubgraphSchema(),
    jwtSecret: opts.jwtSecret,
    logger: opts.logger,
    context: (identity) => createGraphContext(opts.services, identity),
  });
}
