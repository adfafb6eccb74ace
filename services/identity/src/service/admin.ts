import { isPlatformClient, type Identity } from '@firegov/auth';
import { forbidden } from '@firegov/kit';

/**
 * Only a county administrator who signed in as a person manages platform clients and signing keys.
 * A platform client may carry the county_admin role for reading; were it allowed here, a read-only
 * client could register itself a write client. A platform client is told from a person the one way
 * the whole platform tells them (`isPlatformClient`: the token's subject is its client, as the
 * provider issues client credentials tokens) — from the verified token alone, so the gateway, every
 * subgraph's scope check and this guard cannot disagree, and no store read is needed. A revoked or
 * deleted client is still a client by this rule, where a lookup of its id would find nothing.
 */
export function adminGuard() {
  return (who: Identity, what: string): void => {
    if (who.role !== 'county_admin') throw forbidden(`only a county administrator manages ${what}`);
    if (isPlatformClient(who)) {
      throw forbidden(`a platform client does not manage ${what}; a county administrator signs in to do so`);
    }
  };
}
