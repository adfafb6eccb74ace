import { identityFromAuthorizationHeader, type Identity } from '@firegov/auth';
import { AppError, type Logger } from '@firegov/kit';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createGraphContext, type GraphContext, type Services } from './schema/context.ts';
import { entitiesSubgraphSchema } from './schema/index.ts';

/**
 * The subgraph over HTTP. It authenticates every request itself from the bearer token the gateway
 * forwards (a caller that skips the gateway gains nothing), and maps typed errors to GraphQL
 * errors with a stable `extensions.code`; anything else is masked.
 */
export function createEntitiesYoga(opts: {
  services: Services;
  jwtSecret: string;
  logger: Logger;
}): YogaServerInstance<Record<string, unknown>, GraphContext> {
  return createYoga<Record<string, unknown>, GraphContext>({
    schema: entitiesSubgraphSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
    context: async ({ request }) => {
      let identity: Identity | undefined;
      const header = request.headers.get('authorization') ?? undefined;
      // The SDL query the gateway's composition runs carries no token; resolvers that touch data
      // all require an identity, so an anonymous request can read nothing but the schema.
      if (header) identity = await identityFromAuthorizationHeader(header, { secret: opts.jwtSecret });
      return createGraphContext(opts.services, identity);
    },
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof AppError && original.status < 500) {
          return new GraphQLError(original.message, { extensions: { code: original.code, details: original.details } });
        }
        if (error instanceof GraphQLError && !error.originalError) return error;
        opts.logger.error({ err: original }, 'graphql request failed');
        return new GraphQLError(message, { extensions: { code: 'INTERNAL' } });
      },
    },
  });
}
