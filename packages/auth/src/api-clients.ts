import { AppError, fromDomain } from '@firegov/kit';
import { hashSecret, newClientSecret, revokeSecret, rotateSecrets, type ClientSecretRecord } from './client-credentials.ts';

// The OAuth clients an owner (an agency, a device gateway) holds, as a list kept on the owner's
// record. Pure: the caller reads the owner, applies one of these, and writes the list back.

export interface ApiClientRecord {
  /** `<owner id>.<12 hex>`: the owner is found from the id alone (ownerOfClientId). */
  clientId: string;
  label: string;
  secrets: ClientSecretRecord[];
  createdAt: string;
  revokedAt?: string;
}

const LABEL_MAX = 100;

/** The owner a client id names; null when it names none. Owner ids never contain a dot. */
export function ownerOfClientId(clientId: string): string | null {
  const dot = clientId.indexOf('.');
  return dot > 0 ? clientId.slice(0, dot) : null;
}

/**
 * A new client of `ownerId` with one secret. The secret is returned once and only its scrypt hash
 * is kept. `random` is crypto.randomBytes in production; `fixed` is for demo loaders, which must
 * print a secret they can derive again.
 */
export function newApiClient(
  ownerId: string,
  label: string,
  o: {
    now: Date;
    secretId: string;
    random: (size: number) => Buffer;
    fixed?: { clientId: string; clientSecret: string } | undefined;
  },
): { client: ApiClientRecord; clientSecret: string } {
  const clientSecret = o.fixed?.clientSecret ?? newClientSecret(o.random);
  const clientId = o.fixed?.clientId ?? `${ownerId}.${o.random(6).toString('hex')}`;
  const createdAt = o.now.toISOString();
  return {
    client: {
      clientId,
      label: label.slice(0, LABEL_MAX),
      secrets: [{ id: o.secretId, hash: hashSecret(clientSecret), createdAt }],
      createdAt,
    },
    clientSecret,
  };
}

/**
 * Adds `secret` to the client and ends its current secrets `overlapHours` from `now`
 * (rotateSecrets). A revoked client takes no new secret: it is replaced, not revived.
 */
export function rotateApiClientSecret<C extends ApiClientRecord>(
  clients: readonly C[],
  clientId: string,
  o: { secret: string; secretId: string; now: Date; overlapHours: number },
): C[] {
  const client = clients.find((c) => c.clientId === clientId);
  if (!client) throw new AppError('NOT_FOUND', `client ${clientId} not found`);
  if (client.revokedAt) throw new AppError('CONFLICT', `client ${clientId} is revoked`);
  const fresh = { id: o.secretId, hash: hashSecret(o.secret), createdAt: o.now.toISOString() };
  const secrets = fromDomain(() => rotateSecrets(client.secrets, fresh, o.now, o.overlapHours));
  return clients.map((c) => (c === client ? { ...c, secrets } : c));
}

/** Revokes the client and every one of its secrets at `now`: its tokens stop at the next check. */
export function revokeApiClient<C extends ApiClientRecord>(clients: readonly C[], clientId: string, now: Date): C[] {
  if (!clients.some((c) => c.clientId === clientId)) throw new AppError('NOT_FOUND', `client ${clientId} not found`);
  return clients.map((c) =>
    c.clientId === clientId
      ? { ...c, revokedAt: now.toISOString(), secrets: c.secrets.reduce((acc, s) => revokeSecret(acc, s.id, now), c.secrets) }
      : c,
  );
}

/** The owner a client id names and that client of it; null when either is unknown. */
export async function findOwnedClient<O extends { clients: readonly ApiClientRecord[] }>(
  clientId: string,
  loadOwner: (ownerId: string) => Promise<O | null>,
): Promise<{ owner: O; client: O['clients'][number] } | null> {
  const ownerId = ownerOfClientId(clientId);
  const owner = ownerId ? await loadOwner(ownerId) : null;
  const client = owner?.clients.find((c) => c.clientId === clientId);
  return owner && client ? { owner, client } : null;
}
