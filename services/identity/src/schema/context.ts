import type { Identity } from '@firegov/auth';
import { callerOf, type SubgraphContext } from '@firegov/service';
import type { ClientService } from '../service/client.ts';
import type { SigningKeyService } from '../service/signing-keys.ts';

export interface Services {
  clients: ClientService;
  signingKeys: SigningKeyService;
}

export type GraphContext = SubgraphContext<Services>;

export const createGraphContext = (services: Services, identity: Identity | undefined): GraphContext => ({ identity, services });

/** The caller; every resolver that touches data needs one. */
export const who = callerOf;
