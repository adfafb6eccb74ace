import type { Identity } from '@firegov/auth';
import { unauthenticated } from '@firegov/kit';

/** A subgraph's per-request context: the verified caller (if any) and the service's services. */
export interface SubgraphContext<S> {
  identity: Identity | undefined;
  services: S;
}

/** The caller; every resolver that touches data needs one. */
export function callerOf(ctx: { identity: Identity | undefined }): Identity {
  if (!ctx.identity) throw unauthenticated('a valid bearer token is required');
  return ctx.identity;
}
