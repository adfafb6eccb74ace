import { clientCredentialsTokens, findOwnedClient } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import type { GatewayCache } from './gateways.ts';

/** Only ingest accepts these tokens; users' tokens (ES256 from the identity service, audience firegov) are never accepted there. */
export const GATEWAY_TOKEN_AUDIENCE = 'firegov-sensors-ingest';
const ISSUER = 'firegov-sensors';

/** The gateway behind a verified ingest token. */
export interface GatewayCaller {
  gatewayId: string;
  clientId: string;
  /** The county or township the gateway serves: the jurisdiction its device writes are scoped to. */
  jurisdictionCode: string;
}

/**
 * Device gateways' OAuth2 client credentials (RFC 6749 §4.4, @firegov/auth): a vendor's platform
 * trades its client id and secret at /oauth/token for a short-lived bearer token for ingest.
 */
export function gatewayTokens(o: { secret: string; ttlS: number; now: () => Date; gateways: GatewayCache }) {
  const tokens = clientCredentialsTokens({
    audience: GATEWAY_TOKEN_AUDIENCE,
    issuer: ISSUER,
    secret: o.secret,
    ttlS: o.ttlS,
    now: o.now,
    ownerClaim: 'gateway',
    async findClient(clientId) {
      const found = await findOwnedClient(clientId, (id) => o.gateways.get(id));
      return found && { ownerId: found.owner._id, secrets: found.client.secrets, revokedAt: found.client.revokedAt };
    },
  });

  return {
    issue: tokens.issue,

    /** The caller of ingest: a valid token of a client that is still not revoked. */
    async verify(authorization: string | undefined): Promise<GatewayCaller> {
      const { ownerId, clientId } = await tokens.verify(authorization);
      // Cached: verify has just read this gateway to check the client.
      const gateway = await o.gateways.get(ownerId);
      if (!gateway) throw new AppError('UNAUTHENTICATED', 'the gateway of this token is gone');
      return { gatewayId: ownerId, clientId, jurisdictionCode: gateway.jurisdictionCode };
    },
  };
}

export type GatewayTokens = ReturnType<typeof gatewayTokens>;
