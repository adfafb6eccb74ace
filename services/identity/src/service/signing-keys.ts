import type { Identity } from '@firegov/auth';
import { AppError } from '@firegov/kit';
import type { KeyStore } from '../oidc/keys.ts';
import type { ProviderRing } from '../oidc/ring.ts';
import { adminGuard } from './admin.ts';

export interface SigningKeyView {
  kid: string;
  state: 'active' | 'upcoming' | 'retired';
  activeFrom: string;
}

/**
 * The signing keys as an administrator sees them: ids, states and dates, never key material. The
 * keys sign every county's tokens, so changing them (rotation, revocation) is kept to the county
 * administrator of the deployment's own jurisdiction (HOME_JURISDICTION) and to the command line;
 * an administrator of another county the deployment serves may list them, not change them.
 */
export function signingKeyService(deps: { keys: KeyStore; ring: () => ProviderRing; homeJurisdiction: string }) {
  const guard = adminGuard();
  const requireAdmin = (who: Identity) => guard(who, 'signing keys');
  const requireHome = (who: Identity) => {
    requireAdmin(who);
    if (who.jurisdiction !== deps.homeJurisdiction) {
      throw new AppError(
        'FORBIDDEN',
        `only the county administrator of ${deps.homeJurisdiction}, the jurisdiction this deployment is run for, changes the signing keys (they sign every county's tokens)`,
        { details: [{ path: 'jurisdiction', reason: `is ${who.jurisdiction}, not HOME_JURISDICTION ${deps.homeJurisdiction}` }] },
      );
    }
  };
  const list = async (): Promise<SigningKeyView[]> =>
    (await deps.keys.describe()).map((k) => ({ kid: k.kid, state: k.state, activeFrom: k.activeFrom.toISOString() }));
  return {
    async list(who: Identity): Promise<SigningKeyView[]> {
      requireAdmin(who);
      return list();
    },
    /** Rotation on demand; this replica adopts the new set at once, the others at their next sync. */
    async rotate(who: Identity, immediate: boolean): Promise<SigningKeyView[]> {
      requireHome(who);
      await deps.ring().rotate({ immediate });
      return list();
    },
    /** Revocation of a key thought compromised: unpublished at once here, on the other replicas at their next sync. */
    async revoke(who: Identity, kid: string): Promise<SigningKeyView[]> {
      requireHome(who);
      await deps.ring().revoke(kid);
      return list();
    },
  };
}

export type SigningKeyService = ReturnType<typeof signingKeyService>;
