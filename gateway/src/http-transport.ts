import type { GatewayConfigBase } from '@graphql-hive/gateway-runtime';
// A dependency of @graphql-hive/gateway-runtime (installed with it), not of this package: see below.
import { buildHTTPExecutor, type AsyncFetchFn } from '@graphql-tools/executor-http';

type Transports = Exclude<NonNullable<GatewayConfigBase<Record<string, unknown>>['transports']>, (kind: string) => unknown>;
type Transport = Exclude<Awaited<Transports[string]>, { default: unknown }>;

/**
 * How the runtime reaches a subgraph over HTTP. The runtime would load `@graphql-mesh/transport-http`
 * for this, but that package is not installed (the runtime lists it only as an optional peer), so
 * this is its queries-and-mutations core: graphql-tools' HTTP executor, built on the fetch the
 * runtime hands in, so that its onFetch hooks (header propagation, upstream timeout) still apply.
 * Installing @graphql-mesh/transport-http would make this file unnecessary.
 */
export const httpTransport: Transport = {
  getSubgraphExecutor({ transportEntry, fetch, getDisposeReason }) {
    if (!transportEntry.location) throw new Error(`subgraph "${transportEntry.subgraph}" has no URL in the supergraph`);
    // Without the runtime's fetch the Authorization header would silently stop reaching subgraphs.
    if (!fetch) throw new Error('the gateway runtime provided no fetch to the HTTP transport');
    return buildHTTPExecutor({
      endpoint: transportEntry.location,
      // The runtime's fetch takes the (context, info) arguments the executor passes along.
      fetch: fetch as AsyncFetchFn,
      ...(getDisposeReason ? { getDisposeReason } : {}),
    });
  },
};
