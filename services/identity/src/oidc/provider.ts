import { TRUSTED_DOCUMENTS_CLAIM, verifySecretAsync, CONSOLE_CLIENT_ID, SIGNED_IN_PATH } from '@firegov/auth';
import type { JWK } from 'jose';
import Provider, { errors, type Adapter, type Configuration } from 'oidc-provider';
import type { PlatformClient } from '../domain/client.ts';
import { userClaims, type User } from '../domain/users.ts';
import { SIGNING_ALG } from './keys.ts';

// The OpenID provider (oidc-provider, certified): client credentials for platforms, authorization
// code with PKCE for people, rotating refresh tokens, revocation, introspection, and JWT access
// tokens for the platform's one API. Only the configuration is ours; the protocol is the library's.

/** The resource indicator of the platform's API (the gateway and its subgraphs). */
export const API_RESOURCE = 'urn:firegov:api';
/** The `aud` every service checks. */
export const API_AUDIENCE = 'firegov';
// The console client and the page its codes land on (a page of this service that shows the code,
// see interactions.ts) are a contract with the sign-in tools, so they live in @firegov/auth.
export { CONSOLE_CLIENT_ID };
export const signedInPath = SIGNED_IN_PATH;

export interface ProviderDeps {
  issuer: string;
  /** The private keys, the signing one first; the provider publishes their public parts at /jwks. */
  jwks: { keys: JWK[] };
  /** The kid that signs now; read on every token, so a key that starts signing needs no rebuild. */
  activeKid: () => string;
  adapter: (name: string) => Adapter;
  findUser: (id: string) => Promise<User | null>;
  findPlatformClient: (id: string) => Promise<PlatformClient | null>;
  cookieKeys: string[];
  ttl: { accessToken: number; refreshToken: number };
}

export function buildProvider(d: ProviderDeps): Provider {
  const configuration: Configuration = {
    adapter: d.adapter,
    jwks: d.jwks,
    cookies: { keys: d.cookieKeys },
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'FireGov console',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${d.issuer}${signedInPath}`],
        scope: 'openid profile offline_access read write',
      },
    ],
    // Never client_secret_jwt: a platform client's stored secret is a hash, which must not become an HMAC key.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
    scopes: ['openid', 'profile', 'offline_access', 'read', 'write'],
    claims: { openid: ['sub'], profile: ['name', 'role', 'jur'] },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client learns about its own tokens only (the console about its people's refresh tokens).
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`unknown resource ${resource}`);
          return {
            // A platform client gets what it was registered for; people get both, their role decides.
            scope: client.scope
              ? client.scope
                  .split(' ')
                  .filter((s) => s === 'read' || s === 'write')
                  .join(' ')
              : 'read write',
            audience: API_AUDIENCE,
            accessTokenTTL: d.ttl.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG, kid: d.activeKid() } },
          };
        },
      },
    },
    // The platform's claim names (packages/auth/src/tokens.ts): role, jur, name; trusted_documents for a limited client.
    async extraTokenClaims(_ctx, token) {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (accountId) {
        const user = await d.findUser(accountId);
        return user ? userClaims(user) : undefined;
      }
      if (!token.clientId) return undefined;
      const client = await d.findPlatformClient(token.clientId);
      if (!client) return undefined;
      // The gateway reads the limit from the token itself: no lookup to decide whether a caller
      // may send arbitrary documents, only to find its registered ones.
      return {
        role: client.role,
        jur: client.jurisdiction,
        ...(client.trustedDocumentsOnly ? { [TRUSTED_DOCUMENTS_CLAIM]: true } : {}),
      };
    },
    async findAccount(_ctx, id) {
      const user = await d.findUser(id);
      if (!user) return undefined;
      return { accountId: user._id, claims: () => ({ sub: user._id, ...userClaims(user) }) };
    },
    // People's refresh tokens are issued without prompt=consent (the console is first-party) and rotate on each use.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: d.ttl.accessToken,
      ClientCredentials: d.ttl.accessToken,
      IdToken: d.ttl.accessToken,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: d.ttl.refreshToken,
      Grant: d.ttl.refreshToken,
      RefreshToken: d.ttl.refreshToken,
    },
  };
  const provider = new Provider(d.issuer, configuration);
  // Platform clients' secrets are kept as scrypt hashes (client_secret holds the hash): the
  // provider's own comparison is replaced on its Client class, the hook its maintainer points to
  // for one-way hashed secrets (panva/node-oidc-provider#631).
  // The provider awaits it, so the scrypt runs on the thread pool and the event loop stays free.
  provider.Client.prototype.compareClientSecret = async function compareHashed(this: { clientSecret?: string }, actual: string) {
    return this.clientSecret !== undefined && (await verifySecretAsync(actual, this.clientSecret));
  };
  return provider;
}
