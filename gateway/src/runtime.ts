import { GATEWAY_FORWARD_HEADER } from '@firegov/auth';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { graphqlOperationMetrics, type Logger } from '@firegov/kit';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { getOperationAST, OperationTypeNode, type DocumentNode } from 'graphql';
import type { GatewayEnv } from './env.ts';
import { hiveLoggerFor } from './hive-logger.ts';
import { httpTransport } from './http-transport.ts';
import { queryLimitsPlugin } from './limits.ts';
import { createErrorMasker } from './mask-error.ts';
import { singleSubgraphForwarding } from './forward.ts';
import { withoutAddedSignalListeners } from './runtime-signals.ts';
import { platformScopePlugin } from './scopes.ts';
import type { trustedDocuments } from './trusted-documents.ts';

export const GRAPHQL_PATH = '/graphql';

// Headers the subgraphs need from the client's request: the token (every subgraph authenticates
// and authorizes by itself, never trusting the edge alone), the request id for log correlation, and
// the declared purpose of a read (查询事由) that the subgraphs record with any personal data they show,
// and the gateway's proof that it forwarded the request (app.ts proveForward).
export const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'x-access-purpose', GATEWAY_FORWARD_HEADER] as const;

export type RuntimeEnv = Pick<
  GatewayEnv,
  'SUBGRAPHS' | 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_COST' | 'MAX_TOKENS' | 'UPSTREAM_TIMEOUT_MS'
> &
  Partial<Pick<GatewayEnv, 'FORWARD_SINGLE_SUBGRAPH'>>;

/** Hive Gateway over the supergraph: query planning, limits, header forwarding, error masking. */
export function createRuntime(opts: {
  supergraph: string;
  env: RuntimeEnv;
  logger: Logger;
  /** Platform clients limited to their trusted documents (see trusted-documents.ts); everyone else sends any document. */
  trustedDocuments: ReturnType<typeof trustedDocuments>;
}): GatewayRuntime {
  const { env, logger } = opts;
  return withoutAddedSignalListeners(() =>
    createGatewayRuntime({
      supergraph: opts.supergraph,
      graphqlEndpoint: GRAPHQL_PATH,
      landingPage: false,
      // GraphiQL's scripts and styles inlined into its page, not loaded from a CDN: county networks
      // often have no internet.
      renderGraphiQL,
      graphiql: {
        title: 'firegov GraphQL',
        // Every request needs a token; the editor starts with the header to fill in.
        headers: JSON.stringify({
          Authorization: 'Bearer <paste the output of: npm run -s token -- --role county_admin --jurisdiction 500230000000>',
        }),
      },
      logging: hiveLoggerFor(logger),
      maskedErrors: { maskError: createErrorMasker(logger) },
      // kit's express app already assigns request ids; a second generator would disagree with it.
      requestId: false,
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => Object.fromEntries(FORWARDED_HEADERS.map((h) => [h, request.headers.get(h)])),
      },
      transports: { http: httpTransport },
      // Hashes are read from extensions.persistedQuery.sha256Hash (Apollo) or documentId (the runtime's default).
      persistedDocuments: opts.trustedDocuments,
      // SUBGRAPHS wins over the URLs recorded at composition, so one supergraph file serves every
      // environment (local ports, compose service names, cluster DNS).
      transportEntries: Object.fromEntries(env.SUBGRAPHS.map((s) => [s.name, { location: s.url }])),
      // A subscription's upstream request is a stream that lives as long as the client listens; the
      // timeout bounds queries and mutations only.
      upstreamTimeout: ({ executionRequest }) => (isSubscription(executionRequest) ? undefined : env.UPSTREAM_TIMEOUT_MS),
      plugins: () => [
        queryLimitsPlugin({
          maxDepth: env.MAX_DEPTH,
          maxAliases: env.MAX_ALIASES,
          maxCost: env.MAX_COST,
          maxTokens: env.MAX_TOKENS,
        }),
        graphqlOperationMetrics(),
        platformScopePlugin(),
        // Last: its executor replaces the planner's for operations one subgraph answers whole.
        ...(env.FORWARD_SINGLE_SUBGRAPH === false
          ? []
          : [
              singleSubgraphForwarding({
                supergraph: opts.supergraph,
                subgraphs: env.SUBGRAPHS,
                headers: FORWARDED_HEADERS,
                timeoutMs: env.UPSTREAM_TIMEOUT_MS,
                logger,
              }),
            ]),
      ],
    }),
  );
}

/** What the runtime tells the timeout about a subgraph request (graphql-tools' ExecutionRequest, in part). */
interface UpstreamRequest {
  operationType?: string | undefined;
  document: DocumentNode;
  operationName?: string | undefined;
}

function isSubscription(request: UpstreamRequest | undefined): boolean {
  if (!request) return false;
  if (request.operationType) return request.operationType === 'subscription';
  return getOperationAST(request.document, request.operationName)?.operation === OperationTypeNode.SUBSCRIPTION;
}
