import type { Redis } from '@firegov/kit';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { scopesOf, type PlatformClient } from '../domain/client.ts';

// The provider's storage. Its short-lived models (sessions, interactions, codes, refresh tokens,
// grants) live in Redis with the TTL the provider gives, so every replica sees them; platform
// clients are read from the store, where the GraphQL subgraph keeps them.

/** Models the provider looks up by grant, so revoking a grant removes all of them. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'BackchannelAuthenticationRequest',
]);

/** Stored platform clients in the provider's client metadata; the secret is the scrypt hash (see provider.ts). */
export function clientMetadata(c: PlatformClient): AdapterPayload {
  return {
    client_id: c._id,
    client_secret: c.secretHash,
    client_name: c.name,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: scopesOf(c.access).join(' '),
  };
}

export function redisAdapterFactory(deps: {
  redis: Redis;
  prefix: string;
  findPlatformClient: (id: string) => Promise<PlatformClient | null>;
}): (name: string) => Adapter {
  const { redis } = deps;
  const key = (model: string, id: string) => `${deps.prefix}oidc:${model}:${id}`;
  const grantKey = (grantId: string) => `${deps.prefix}oidc:grant:${grantId}`;
  const uidKey = (uid: string) => `${deps.prefix}oidc:uid:${uid}`;
  const userCodeKey = (code: string) => `${deps.prefix}oidc:usercode:${code}`;

  return (name: string): Adapter => {
    const read = async (k: string): Promise<AdapterPayload | undefined> => {
      // A hash: the payload as JSON, and `consumed` set apart so consuming is one atomic write.
      const h = await redis.hgetall(k);
      if (!h.payload) return undefined;
      const payload = JSON.parse(h.payload) as AdapterPayload;
      return h.consumed ? { ...payload, consumed: Number(h.consumed) } : payload;
    };
    const pointer = async (k: string) => {
      const id = await redis.get(k);
      return id ? read(key(name, id)) : undefined;
    };

    if (name === 'Client') {
      return {
        async find(id) {
          const c = await deps.findPlatformClient(id);
          // A revoked client is no client: its next token request and introspection call fail at once.
          return c && c.status === 'active' ? clientMetadata(c) : undefined;
        },
        upsert: () => Promise.reject(new Error('platform clients are written through the identity subgraph')),
        findByUid: () => Promise.resolve(undefined),
        findByUserCode: () => Promise.resolve(undefined),
        consume: () => Promise.resolve(undefined),
        destroy: () => Promise.reject(new Error('platform clients are revoked through the identity subgraph')),
        revokeByGrantId: () => Promise.resolve(undefined),
      };
    }

    return {
      async upsert(id, payload, expiresIn) {
        const k = key(name, id);
        const tx = redis.multi().del(k).hset(k, 'payload', JSON.stringify(payload));
        if (expiresIn) tx.expire(k, expiresIn);
        if (GRANTABLE.has(name) && payload.grantId) {
          const g = grantKey(payload.grantId);
          tx.rpush(g, k);
          // The grant's index lives as long as its longest-lived member.
          if (expiresIn) tx.expire(g, expiresIn, 'GT').expire(g, expiresIn, 'NX');
        }
        if (payload.uid) {
          tx.set(uidKey(payload.uid), id);
          if (expiresIn) tx.expire(uidKey(payload.uid), expiresIn);
        }
        if (payload.userCode) {
          tx.set(userCodeKey(payload.userCode), id);
          if (expiresIn) tx.expire(userCodeKey(payload.userCode), expiresIn);
        }
        await tx.exec();
      },
      find: (id) => read(key(name, id)),
      findByUid: (uid) => pointer(uidKey(uid)),
      findByUserCode: (code) => pointer(userCodeKey(code)),
      async consume(id) {
        const k = key(name, id);
        // Only an existing entry: a field written to a missing key would be a hash without a TTL.
        if (await redis.exists(k)) await redis.hset(k, 'consumed', Math.floor(Date.now() / 1000));
      },
      async destroy(id) {
        await redis.del(key(name, id));
      },
      async revokeByGrantId(grantId) {
        const g = grantKey(grantId);
        const members = await redis.lrange(g, 0, -1);
        await redis.del(...members, g);
      },
    };
  };
}
