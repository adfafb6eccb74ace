import { parseInput } from '@firegov/contracts';
import { AppError, fromDomain, type ErrorDetail } from '@firegov/kit';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { identitySchema, type Identity } from './identity.ts';

export const DEFAULT_ISSUER = 'firegov';
export const DEFAULT_AUDIENCE = 'firegov';
export const DEFAULT_EXPIRES_IN = '8h';
/** HS256 keys shorter than the hash output (32 bytes) are weak (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = 32;

export interface SignTokenOptions {
  secret: string;
  issuer?: string;
  audience?: string;
  /** A jose time span (`'8h'`, `'15m'`) or a number of seconds. */
  expiresIn?: string | number;
}

export interface VerifyTokenOptions {
  secret: string;
  issuer?: string;
  audience?: string;
  /** The time to check `exp`/`nbf` against; tests move it instead of waiting. */
  now?: Date;
  /** Clock skew allowed between the signer and this process, in seconds. */
  clockToleranceSeconds?: number;
}

const ALGORITHM = 'HS256';

// Claim names in the token, short because the token rides on every request.
const CLAIM_OF_FIELD: Readonly<Record<keyof Identity, string>> = {
  subject: 'sub',
  role: 'role',
  jurisdiction: 'jur',
  name: 'name',
  agencyId: 'agency',
};

/** The HS256 key of `secret`; a plain Error when it is too short. Shared with client-tokens.ts, not exported from the package. */
export function secretKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < MIN_SECRET_BYTES) {
    // A configuration mistake, not a caller's fault: a plain Error so it fails start-up loudly.
    throw new Error(`JWT secret must be at least ${MIN_SECRET_BYTES} bytes, got ${key.byteLength}`);
  }
  return key;
}

export async function signToken(identity: Identity, opts: SignTokenOptions): Promise<string> {
  const key = secretKey(opts.secret);
  const checked = fromDomain(() => parseInput(identitySchema, identity));
  const claims: JWTPayload = { role: checked.role, jur: checked.jurisdiction };
  if (checked.name !== undefined) claims.name = checked.name;
  if (checked.agencyId !== undefined) claims.agency = checked.agencyId;
  const expiresIn = opts.expiresIn ?? DEFAULT_EXPIRES_IN;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(checked.subject)
    .setIssuer(opts.issuer ?? DEFAULT_ISSUER)
    .setAudience(opts.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(typeof expiresIn === 'number' ? `${expiresIn}s` : expiresIn)
    .sign(key);
}

/** Verifies signature, issuer, audience and expiry, then reads the identity from the claims. */
export async function verifyToken(token: string, opts: VerifyTokenOptions): Promise<Identity> {
  const key = secretKey(opts.secret);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: opts.issuer ?? DEFAULT_ISSUER,
      audience: opts.audience ?? DEFAULT_AUDIENCE,
      // A token that never expires cannot be revoked by waiting; refuse it.
      requiredClaims: ['exp'],
      clockTolerance: opts.clockToleranceSeconds ?? 5,
      ...(opts.now ? { currentDate: opts.now } : {}),
    }));
  } catch (err) {
    throw rejection(err);
  }
  return identityFromClaims(payload);
}

function rejection(err: unknown): AppError {
  const fail = (message: string, details: ErrorDetail[] = []) =>
    new AppError('UNAUTHENTICATED', message, { details, cause: err });
  if (err instanceof errors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? ` at ${new Date(err.payload.exp * 1000).toISOString()}` : '';
    return fail(`token expired${exp}`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return fail('token signature is invalid');
  if (err instanceof errors.JOSEAlgNotAllowed) return fail(`token algorithm is not allowed (expected ${ALGORITHM})`);
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = err.claim;
    if (err.reason === 'missing') return fail(`missing claim ${claim}`, [{ path: claim, reason: 'missing' }]);
    if (claim === 'aud') return fail('token audience is not accepted here', [{ path: claim, reason: err.message }]);
    if (claim === 'iss') return fail('token issuer is not accepted here', [{ path: claim, reason: err.message }]);
    if (claim === 'nbf') return fail('token is not valid yet', [{ path: claim, reason: err.message }]);
    return fail(`invalid claim ${claim}: ${err.message}`, [{ path: claim, reason: err.message }]);
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) {
    return fail(`token is malformed: ${err.message}`);
  }
  if (err instanceof errors.JOSEError) return fail(`token rejected: ${err.message}`);
  return fail('token is malformed');
}

function identityFromClaims(payload: JWTPayload): Identity {
  const candidate = {
    subject: payload.sub,
    role: payload.role,
    jurisdiction: payload.jur,
    name: payload.name,
    agencyId: payload.agency,
  };
  const result = identitySchema.safeParse(candidate);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => {
    const field = issue.path[0] as keyof Identity | undefined;
    const claim = field === undefined ? '(claims)' : CLAIM_OF_FIELD[field];
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
