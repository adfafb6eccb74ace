import type { Identity } from '@firegov/auth';
import { unauthenticated } from '@firegov/kit';
import type { ClientService } from '../service/client.ts';
import type { SigningKeyService } from '../service/signing-keys.ts';

export interface Services {
  clients: ClientService;
  signingKeys: SigningKeyService;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
}

export const createGraphContext = (services: Services, identity: Identity | undefined): GraphContext => ({ identity, services });

/** The caller; every resolver that touches data needs one. */
export function who(ctx: GraphContext): Identity {
  if (!ctx.identity) throw unauthenticated('a valid bearer token is required');
  return ctx.identity;
}
