import { clientCredentialsTokens, findOwnedClient } from '@firegov/auth';
import type { AgencyCache } from './agency-cache.ts';
import type { AssessmentDeps } from './deps.ts';

export interface AgencyCaller {
  agencyId: string;
  clientId: string;
}

/**
 * The push API's OAuth2 client credentials (RFC 6749 §4.4, shared with @firegov/auth): an agency's
 * system trades its client id and secret for a short-lived bearer token. A suspended or revoked
 * agency gets no new token; its pushes are refused by the submissions themselves.
 */
export function tokenService(deps: AssessmentDeps, agencies: AgencyCache) {
  const tokens = clientCredentialsTokens({
    audience: 'firegov-assessment-push',
    issuer: 'firegov-assessment',
    secret: deps.tokenSecret,
    ttlS: deps.tokenTtlS,
    now: deps.now,
    ownerClaim: 'agency',
    async findClient(clientId) {
      const found = await findOwnedClient(clientId, (id) => agencies.get(id));
      if (!found) return null;
      const { owner: agency, client } = found;
      return {
        ownerId: agency._id,
        secrets: client.secrets,
        revokedAt: client.revokedAt,
        inactiveReason: agency.status === 'active' ? undefined : `agency is ${agency.status}`,
      };
    },
  });

  return {
    issue: tokens.issue,

    /** The caller of a push: a valid token of a client that is still not revoked. */
    async verify(authorization: string | undefined): Promise<AgencyCaller> {
      const { ownerId, clientId } = await tokens.verify(authorization);
      return { agencyId: ownerId, clientId };
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
