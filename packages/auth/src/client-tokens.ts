import { AppError } from '@firegov/kit';
// Types only (erased at run time): the handler fits express without making auth depend on it.
import type { RequestHandler } from 'express';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { parseBasicAuth, usableSecrets, verifySecretAsync, type ClientSecretRecord } from './client-credentials.ts';

/** HS256 keys shorter than the hash output (32 bytes) are weak (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

/**
 * The HS256 key of a service-local client-token secret; a plain Error when it is too short. These
 * tokens are minted and accepted by one service only (their own audience and issuer), never by the
 * gateway or another subgraph, so the secret never leaves that service.
 */
function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < MIN_SECRET_BYTES) {
    // A configuration mistake, not a caller's fault: a plain Error so it fails start-up loudly.
    throw new Error(`client token secret must be at least ${MIN_SECRET_BYTES} bytes, got ${key.byteLength}`);
  }
  return key;
}

/** RFC 6749 §5.2 error body; the APIs behind the token use the platform's error shape. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

/** A client as the token endpoint needs it: whose it is, its secrets, and whether it may get tokens. */
export interface TokenClient {
  /** The agency or gateway the client belongs to; carried in the token. */
  ownerId: string;
  secrets: readonly ClientSecretRecord[];
  revokedAt?: string | undefined;
  /**
   * Set when the owner may not get tokens now (a suspended agency): the error_description of the
   * 400 unauthorized_client answer. Tokens already issued stay valid; the API decides about those.
   */
  inactiveReason?: string | undefined;
}

export interface ClientCredentialsTokenOptions {
  audience: string;
  issuer: string;
  /** HS256 key of this API's tokens, at least 32 bytes; only the service that issues them reads it. */
  secret: string;
  ttlS: number;
  now: () => Date;
  /** Claim that names the owner (`agency`, `gateway`); checked against the client on every verify. */
  ownerClaim: string;
  /** The client and its owner, or null when either is unknown. Called on every issue and verify: cache it. */
  findClient: (clientId: string) => Promise<TokenClient | null>;
}

export interface AccessTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** The caller behind a verified access token. */
export interface ClientCaller {
  ownerId: string;
  clientId: string;
}

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/;
const invalidClient = () => new OAuthError(401, 'invalid_client', 'client authentication failed');

/**
 * OAuth2 client credentials (RFC 6749 §4.4) for one API. The owner's system posts its client id
 * and secret (HTTP Basic or form fields) and gets a short-lived HS256 bearer token for the API.
 * Secrets are stored only as scrypt hashes; that is why this scheme and not a shared-key HMAC
 * signature, which needs the server to hold every owner's secret in usable form.
 */
export function clientCredentialsTokens(o: ClientCredentialsTokenOptions) {
  const key = secretKey(o.secret);

  async function issue(authorization: string | undefined, form: Record<string, unknown>): Promise<AccessTokenResponse> {
    if (form.grant_type !== 'client_credentials') {
      throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const basic = authorization ? parseBasicAuth(authorization) : null;
    const clientId = basic?.clientId ?? (typeof form.client_id === 'string' ? form.client_id : undefined);
    const secret = basic?.secret ?? (typeof form.client_secret === 'string' ? form.client_secret : undefined);
    if (!clientId || !secret) throw invalidClient();
    const client = await o.findClient(clientId);
    const now = o.now();
    // One answer for every failure, so a caller cannot tell a wrong id from a wrong secret.
    // Checked off the event loop (scrypt on the thread pool), one secret after the other.
    let ok = false;
    for (const s of client !== null && !client.revokedAt ? usableSecrets(client.secrets, now) : []) {
      if (await verifySecretAsync(secret, s.hash)) {
        ok = true;
        break;
      }
    }
    if (!ok || !client) throw invalidClient();
    if (client.inactiveReason !== undefined) throw new OAuthError(400, 'unauthorized_client', client.inactiveReason);
    const iat = Math.floor(now.getTime() / 1000);
    const access_token = await new SignJWT({ [o.ownerClaim]: client.ownerId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(clientId)
      .setAudience(o.audience)
      .setIssuer(o.issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + o.ttlS)
      .sign(key);
    return { access_token, token_type: 'Bearer', expires_in: o.ttlS };
  }

  /** The caller of the API: a valid token of a client that is still not revoked. */
  async function verify(authorization: string | undefined): Promise<ClientCaller> {
    const m = BEARER.exec(authorization ?? '');
    if (!m) throw new AppError('UNAUTHENTICATED', 'a bearer token from /oauth/token is required');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1] as string, key, {
        audience: o.audience,
        issuer: o.issuer,
        currentDate: o.now(),
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw new AppError('UNAUTHENTICATED', `invalid token: ${(err as Error).message}`);
    }
    const clientId = payload.sub;
    const claimed = payload[o.ownerClaim];
    const ownerId = typeof claimed === 'string' ? claimed : undefined;
    if (!clientId || !ownerId) throw new AppError('UNAUTHENTICATED', 'invalid token claims');
    const client = await o.findClient(clientId);
    if (client && client.ownerId !== ownerId) throw new AppError('UNAUTHENTICATED', 'invalid token claims');
    if (!client || client.revokedAt) throw new AppError('UNAUTHENTICATED', 'the client of this token was revoked');
    return { ownerId, clientId };
  }

  return { issue, verify };
}

export type ClientCredentialsTokens = ReturnType<typeof clientCredentialsTokens>;

/**
 * Express handler of `POST /oauth/token`: the token as JSON, or the RFC 6749 §5.2 error body with
 * a Basic challenge on 401. Mount it after a urlencoded body parser (the spec's request format).
 */
export function oauthTokenHandler(tokens: Pick<ClientCredentialsTokens, 'issue'>, realm: string): RequestHandler {
  return async (req, res) => {
    try {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const token = await tokens.issue(req.header('authorization'), form);
      res.set('cache-control', 'no-store').json(token);
    } catch (err) {
      if (err instanceof OAuthError) {
        if (err.status === 401) res.set('www-authenticate', `Basic realm="${realm}"`);
        res.status(err.status).set('cache-control', 'no-store').json({ error: err.error, error_description: err.message });
        return;
      }
      throw err;
    }
  };
}
