import type { Identity } from '@firegov/auth';
import { collectionOf, forbidden } from '@firegov/kit';
import type { IdentityModels } from '../store/models.ts';

/**
 * Only a county administrator who signed in as a person manages platform clients and signing keys.
 * A platform client may carry the county_admin role for reading; were it allowed here, a read-only
 * client could register itself a write client. Its token's subject is its client id.
 */
export function adminGuard(models: IdentityModels) {
  const clients = collectionOf(models.clients);
  return async (who: Identity, what: string): Promise<void> => {
    if (who.role !== 'county_admin') throw forbidden(`only a county administrator manages ${what}`);
    if ((await clients.countDocuments({ _id: who.subject }, { limit: 1 })) > 0) {
      throw forbidden(`a platform client does not manage ${what}; a county administrator signs in to do so`);
    }
  };
}
