import type { Identity } from '@firegov/auth';
import type { KeyStore } from '../oidc/keys.ts';
import type { ProviderRing } from '../oidc/ring.ts';
import type { IdentityModels } from '../store/models.ts';
import { adminGuard } from './admin.ts';

export interface SigningKeyView {
  kid: string;
  state: 'active' | 'upcoming' | 'retired';
  activeFrom: string;
}

/** The signing keys as an administrator sees them: ids, states and dates, never key material. */
export function signingKeyService(deps: { keys: KeyStore; ring: () => ProviderRing; models: IdentityModels }) {
  const guard = adminGuard(deps.models);
  const requireAdmin = (who: Identity) => guard(who, 'signing keys');
  const list = async (): Promise<SigningKeyView[]> =>
    (await deps.keys.describe()).map((k) => ({ kid: k.kid, state: k.state, activeFrom: k.activeFrom.toISOString() }));
  return {
    async list(who: Identity): Promise<SigningKeyView[]> {
      await requireAdmin(who);
      return list();
    },
    /** Rotation on demand; this replica adopts the new set at once, the others at their next sync. */
    async rotate(who: Identity, immediate: boolean): Promise<SigningKeyView[]> {
      await requireAdmin(who);
      await deps.ring().rotate({ immediate });
      return list();
    },
  };
}

export type SigningKeyService = ReturnType<typeof signingKeyService>;
