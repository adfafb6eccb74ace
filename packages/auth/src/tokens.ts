import { parseInput } from '@firegov/contracts';
import { AppError, fromDomain, type ErrorDetail } from '@firegov/kit';
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { cutoffRefusal, type ClientCutoffs } from './client-cutoffs.ts';
import { identitySchema, type Identity } from './identity.ts';
import { isPlatformClient } from './scopes.ts';
import { TRUSTED_DOCUMENTS_CLAIM } from './trusted-documents.ts';
import type { VerifiedTokens } from './verified-tokens.ts';

// Users' access tokens are issued by the identity service (an OpenID provider) and signed with an
// asymmetric key (ES256; EdDSA is accepted too). The gateway and every subgraph verify them against
// the provider's published keys (JWKS, see jwks.ts) and hold no key that can sign one: reading a
// service's environment no longer lets anyone mint a county administrator's token.

export const DEFAULT_AUDIENCE = 'firegov';
export const DEFAULT_EXPIRES_IN = '8h';
/** The only signature algorithms a user token may use; HS256 and `none` are refused before any key is looked up. */
export const TOKEN_ALGORITHMS = ['ES256', 'EdDSA'] as const;
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number];
/**
 * The `typ` header of an access token (RFC 9068 §2.1). The provider signs ID tokens (`typ: JWT`)
 * with the same keys and issuer; requiring this keeps one from ever passing as an access token,
 * whatever its audience.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The verification key of a token, chosen from its header (`kid`): a JWKS (remoteKeys) or, in tests, one key. */
export type TokenKeys = JWTVerifyGetKey;

export interface SignTokenOptions {
  /** The issuer's private key. Only the identity service and test issuers hold one; no service or gateway does. */
  privateKey: KeyLike | CryptoKey;
  /** The key's id in the issuer's JWKS; verifiers pick the key by it. */
  kid: string;
  issuer: string;
  algorithm?: TokenAlgorithm;
  audience?: string;
  /** A jose time span (`'8h'`, `'15m'`) or a number of seconds. */
  expiresIn?: string | number;
  /** The OAuth client the token was issued to, and its scopes (space separated, RFC 9068); identity.client wins. */
  clientId?: string;
  scope?: string;
}

export interface VerifyTokenOptions {
  /** Where the verification key comes from: remoteKeys(jwksUrl) in every process. */
  keys: TokenKeys;
  /** The identity service's issuer identifier; a token from any other issuer is refused. */
  issuer: string;
  audience?: string;
  /** The time to check `exp`/`nbf` against; tests move it instead of waiting. */
  now?: Date;
  /** Clock skew allowed between the issuer and this process, in seconds. */
  clockToleranceSeconds?: number;
  /**
   * Revoked clients and rotated secrets (client-cutoffs.ts): a platform client's token issued at or
   * before its client's cutoff is refused. Every process sets it (tokenVerification with Redis).
   */
  cutoffs?: ClientCutoffs;
  /**
   * GATEWAY_FORWARD_KEYS: how a subgraph tells a request the gateway forwarded (trusted-documents.ts).
   * Not used by verifyToken; a subgraph without them refuses every token limited to trusted documents.
   */
  gatewayForwardKeys?: readonly string[];
  /** Tokens verified lately (verified-tokens.ts); tokenVerification gives every process one. */
  verified?: VerifiedTokens;
}

// Claim names in the token, short because the token rides on every request.
const CLAIM_OF_FIELD: Readonly<Record<keyof Identity, string>> = {
  subject: 'sub',
  role: 'role',
  jurisdiction: 'jur',
  name: 'name',
  agencyId: 'agency',
  client: 'client_id',
  trustedDocumentsOnly: TRUSTED_DOCUMENTS_CLAIM,
};

/**
 * An access token in the layout the identity service issues (RFC 9068 plus the platform's claims
 * `role`, `jur`, `name`, `agency`). For test issuers and development tools; the identity service
 * signs its own tokens with the same claims.
 */
export async function signToken(identity: Identity, opts: SignTokenOptions): Promise<string> {
  const checked = fromDomain(() => parseInput(identitySchema, identity));
  const claims: JWTPayload = { role: checked.role, jur: checked.jurisdiction };
  if (checked.name !== undefined) claims.name = checked.name;
  if (checked.agencyId !== undefined) claims.agency = checked.agencyId;
  if (checked.trustedDocumentsOnly === true) claims[TRUSTED_DOCUMENTS_CLAIM] = true;
  const clientId = checked.client?.id ?? opts.clientId;
  const scope = checked.client ? checked.client.scopes.join(' ') : opts.scope;
  if (clientId !== undefined) claims.client_id = clientId;
  if (scope !== undefined && scope !== '') claims.scope = scope;
  const expiresIn = opts.expiresIn ?? DEFAULT_EXPIRES_IN;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: opts.algorithm ?? 'ES256', kid: opts.kid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(checked.subject)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(typeof expiresIn === 'number' ? `${expiresIn}s` : expiresIn)
    .sign(opts.privateKey);
}

/**
 * Verifies signature (by a key the issuer publishes), algorithm, type (`at+jwt`), issuer, audience
 * and expiry, then reads the identity from the claims, then (with `cutoffs`) that a platform
 * client's token was issued after its client's last revocation or secret rotation. Refusals are
 * UNAUTHENTICATED naming the reason; an issuer whose keys cannot be fetched, or cutoffs that cannot
 * be read, are UNAVAILABLE (503, retry), since the caller did nothing wrong.
 */
export async function verifyToken(token: string, opts: VerifyTokenOptions): Promise<Identity> {
  const nowMs = (opts.now ?? new Date()).getTime();
  let verified = opts.verified?.get(token, nowMs);
  if (!verified) {
    const payload = await verifySignatureAndClaims(token, opts);
    // Kept only once the identity reads from the claims without complaint.
    // Frozen: one identity now serves every request that carries the token.
    verified = { payload: Object.freeze(payload), identity: frozen(identityFromClaims(payload)) };
    opts.verified?.set(token, verified, nowMs);
  }
  const { payload, identity } = verified;
  if (opts.cutoffs && identity.client && isPlatformClient(identity)) {
    const refusal = cutoffRefusal(payload.iat, await opts.cutoffs.cutoffOf(identity.client.id));
    if (refusal) throw refusal;
  }
  return identity;
}

async function verifySignatureAndClaims(token: string, opts: VerifyTokenOptions): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, opts.keys, {
      algorithms: [...TOKEN_ALGORITHMS],
      typ: ACCESS_TOKEN_TYPE,
      issuer: opts.issuer,
      audience: opts.audience ?? DEFAULT_AUDIENCE,
      // A token that never expires cannot be revoked by waiting; refuse it.
      requiredClaims: ['exp'],
      clockTolerance: opts.clockToleranceSeconds ?? 5,
      ...(opts.now ? { currentDate: opts.now } : {}),
    });
    return payload;
  } catch (err) {
    throw rejection(err);
  }
}

function rejection(err: unknown): AppError {
  // remoteKeys already decided (UNAVAILABLE when the JWKS cannot be fetched, a missing kid).
  if (err instanceof AppError) return err;
  const fail = (message: string, details: ErrorDetail[] = []) =>
    new AppError('UNAUTHENTICATED', message, { details, cause: err });
  if (err instanceof errors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? ` at ${new Date(err.payload.exp * 1000).toISOString()}` : '';
    return fail(`token expired${exp}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return fail('token signature is invalid');
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return fail(`token algorithm is not allowed (expected ${TOKEN_ALGORITHMS.join(' or ')})`);
  }
  if (err instanceof errors.JWKSNoMatchingKey) {
    return fail('token is signed by a key the issuer does not publish (unknown kid)', [
      { path: 'kid', reason: 'no key of the issuer has this id' },
    ]);
  }
  if (err instanceof errors.JWKSMultipleMatchingKeys) return fail('token names no single key of the issuer (kid)');
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = err.claim;
    if (err.reason === 'missing') return fail(`missing claim ${claim}`, [{ path: claim, reason: 'missing' }]);
    if (claim === 'aud') return fail('token audience is not accepted here', [{ path: claim, reason: err.message }]);
    if (claim === 'iss') return fail('token issuer is not accepted here', [{ path: claim, reason: err.message }]);
    if (claim === 'nbf') return fail('token is not valid yet', [{ path: claim, reason: err.message }]);
    if (claim === 'typ') {
      return fail(`token is not an access token (typ must be ${ACCESS_TOKEN_TYPE}; an ID token is not accepted here)`, [
        { path: 'typ', reason: err.message },
      ]);
    }
    return fail(`invalid claim ${claim}: ${err.message}`, [{ path: claim, reason: err.message }]);
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) {
    return fail(`token is malformed: ${err.message}`);
  }
  if (err instanceof errors.JOSEError) return fail(`token rejected: ${err.message}`);
  return fail('token is malformed');
}

function frozen(identity: Identity): Identity {
  if (identity.client) {
    Object.freeze(identity.client.scopes);
    Object.freeze(identity.client);
  }
  return Object.freeze(identity);
}

function identityFromClaims(payload: JWTPayload): Identity {
  // `scope` is one space-separated string (RFC 9068 §2.2.3); absent, the token grants no scope.
  if (payload.scope !== undefined && typeof payload.scope !== 'string') {
    throw new AppError('UNAUTHENTICATED', 'invalid claim scope: must be a space-separated string', {
      details: [{ path: 'scope', reason: 'must be a space-separated string' }],
    });
  }
  const scopes = (payload.scope ?? '').split(' ').filter((s) => s !== '');
  // Absent or false: not limited. Anything else is not a claim the provider makes.
  const limited = payload[TRUSTED_DOCUMENTS_CLAIM];
  if (limited !== undefined && typeof limited !== 'boolean') {
    throw new AppError('UNAUTHENTICATED', `invalid claim ${TRUSTED_DOCUMENTS_CLAIM}: must be a boolean`, {
      details: [{ path: TRUSTED_DOCUMENTS_CLAIM, reason: 'must be a boolean' }],
    });
  }
  const candidate = {
    subject: payload.sub,
    role: payload.role,
    jurisdiction: payload.jur,
    name: payload.name,
    agencyId: payload.agency,
    client: payload.client_id === undefined ? undefined : { id: payload.client_id, scopes },
    ...(limited === true ? { trustedDocumentsOnly: true } : {}),
  };
  const result = identitySchema.safeParse(candidate);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => {
    const field = issue.path[0] as keyof Identity | undefined;
    // The client's scopes come from the `scope` claim, its id from `client_id`.
    const claim =
      field === undefined ? '(claims)' : field === 'client' && issue.path[1] === 'scopes' ? 'scope' : CLAIM_OF_FIELD[field];
    const missing = field !== undefined && candidate[field] === undefined;
    return { path: claim, reason: missing ? 'missing' : issue.message };
  });
  const first = details[0];
  const message =
    first === undefined
      ? 'token claims are invalid'
      : first.reason === 'missing'
        ? `missing claim ${first.path}`
        : `invalid claim ${first.path}: ${first.reason}`;
  throw new AppError('UNAUTHENTICATED', message, { details });
}
