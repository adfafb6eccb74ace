import { invalidInput } from '@firegov/contracts';
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ErrorDetail } from '@firegov/contracts';

// Outside systems — assessment agencies pushing results, device gateways (设备网关) pushing readings —
// authenticate with OAuth 2.0 client credentials (RFC 6749 §4.4). Secrets are stored only as scrypt
// hashes; rotation keeps the old secret valid for an overlap so the owner can deploy the new one
// without a window of failed pushes.

const SECRET_PREFIX = 'fgs_';
const SECRET_BYTES = 32;

/**
 * A new client secret: 'fgs_' + 32 random bytes as base64url (43 characters). The prefix lets
 * secret scanners recognise a leaked one. `random` is injected (crypto.randomBytes in production).
 */
export function newClientSecret(random: (size: number) => Buffer): string {
  const bytes = random(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) throw new TypeError(`random(${SECRET_BYTES}) returned ${bytes.length} bytes`);
  return SECRET_PREFIX + bytes.toString('base64url');
}

// scrypt N=2^14, r=8, p=1: the RFC 7914 interactive-login parameters, ~16 MiB and tens of ms per
// check, which is acceptable because a token is issued a few times per hour per client, not per push.
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
// Bounds on parameters read back from a stored hash, so a corrupted record cannot demand gigabytes.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * 'scrypt$16384$8$1$<salt b64url>$<hash b64url>'. Parameters travel with the hash so they can be
 * raised later without breaking stored secrets. Without `salt`, 16 random bytes are drawn: the
 * only randomness in this module, kept here because a hash with a reused salt is a bug, not a choice.
 */
export function hashSecret(secret: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  if (salt.length < SALT_BYTES) throw new TypeError(`the salt must be at least ${SALT_BYTES} bytes, got ${salt.length}`);
  const hash = scryptSync(secret, salt, KEY_BYTES, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

// scrypt on libuv's thread pool: a server checking secrets must not stop its event loop for each
// one (tens of ms of CPU apiece, so a few dozen bad requests a second would stall every request).
const scryptAsync = (secret: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** hashSecret off the event loop: what a server handling requests should call. */
export async function hashSecretAsync(secret: string, salt: Buffer = randomBytes(SALT_BYTES)): Promise<string> {
  if (salt.length < SALT_BYTES) throw new TypeError(`the salt must be at least ${SALT_BYTES} bytes, got ${salt.length}`);
  const hash = await scryptAsync(secret, salt, KEY_BYTES, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

const ENCODED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/;

/** The parts of a stored hash, or undefined when it is malformed or asks for out-of-bounds parameters. */
function decodeHash(encoded: string): { salt: Buffer; expected: Buffer; options: ScryptOptions } | undefined {
  const match = ENCODED.exec(encoded);
  if (match === null) return undefined;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // N must be a power of two above 1 for scrypt.
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  return {
    salt: Buffer.from(match[4] ?? '', 'base64url'),
    expected: Buffer.from(match[5] ?? '', 'base64url'),
    options: { N, r, p, maxmem: 256 * N * r + 1024 * 1024 },
  };
}

/** True when `secret` matches the stored hash; compared in constant time. A malformed hash is false. */
export function verifySecret(secret: string, encoded: string): boolean {
  const d = decodeHash(encoded);
  if (d === undefined) return false;
  let actual: Buffer;
  try {
    actual = scryptSync(secret, d.salt, d.expected.length, d.options);
  } catch {
    return false;
  }
  return actual.length === d.expected.length && timingSafeEqual(actual, d.expected);
}

/** verifySecret off the event loop (libuv's thread pool): what a request handler should await. */
export async function verifySecretAsync(secret: string, encoded: string): Promise<boolean> {
  const d = decodeHash(encoded);
  if (d === undefined) return false;
  let actual: Buffer;
  try {
    actual = await scryptAsync(secret, d.salt, d.expected.length, d.options);
  } catch {
    return false;
  }
  return actual.length === d.expected.length && timingSafeEqual(actual, d.expected);
}

export interface ClientSecretRecord {
  id: string;
  /** hashSecret's encoding; the secret itself is shown once and never stored. */
  hash: string;
  createdAt: string;
  /** Set when rotated: the old secret stays valid until then (exclusive). */
  notAfter?: string;
  revokedAt?: string;
}

function isUsable(record: ClientSecretRecord, now: Date): boolean {
  if (record.revokedAt !== undefined) return false;
  return record.notAfter === undefined || now.getTime() < Date.parse(record.notAfter);
}

/** Secrets a client may authenticate with at `now`: not revoked and not past their notAfter. */
export function usableSecrets(records: readonly ClientSecretRecord[], now: Date): ClientSecretRecord[] {
  return records.filter((record) => isUsable(record, now));
}

export const OVERLAP_HOURS = { min: 1, max: 720 } as const;
const HOUR_MS = 3_600_000;

/** When secrets rotated at `now` with `overlapHours` stop working (exclusive), as an ISO instant. */
export const overlapEnd = (now: Date, overlapHours: number): string =>
  new Date(now.getTime() + overlapHours * HOUR_MS).toISOString();

/**
 * Adds `newRecord` and gives every secret usable now that has no end date an end `overlapHours`
 * from now (1-720, i.e. up to 30 days). Secrets already ending keep their earlier end: a rotation
 * must never extend a secret someone has already scheduled out.
 */
export function rotateSecrets(
  records: readonly ClientSecretRecord[],
  newRecord: ClientSecretRecord,
  now: Date,
  overlapHours: number,
): ClientSecretRecord[] {
  const problems: ErrorDetail[] = [];
  if (!Number.isFinite(overlapHours) || overlapHours < OVERLAP_HOURS.min || overlapHours > OVERLAP_HOURS.max) {
    problems.push({
      path: '$.overlapHours',
      reason: `must be between ${OVERLAP_HOURS.min} and ${OVERLAP_HOURS.max} hours, got ${overlapHours}`,
    });
  }
  if (newRecord.id.trim() === '') problems.push({ path: '$.newRecord.id', reason: 'must not be empty' });
  if (records.some((record) => record.id === newRecord.id)) {
    problems.push({ path: '$.newRecord.id', reason: `"${newRecord.id}" is already used by another secret` });
  }
  if (!ENCODED.test(newRecord.hash)) problems.push({ path: '$.newRecord.hash', reason: 'must be a hash from hashSecret' });
  if (newRecord.notAfter !== undefined || newRecord.revokedAt !== undefined) {
    problems.push({ path: '$.newRecord', reason: 'a new secret cannot already end or be revoked' });
  }
  if (problems.length > 0) throw invalidInput('cannot rotate the client secret', problems);

  const notAfter = overlapEnd(now, overlapHours);
  const updated = records.map((record) =>
    isUsable(record, now) && record.notAfter === undefined ? { ...record, notAfter } : record,
  );
  return [...updated, newRecord];
}

/**
 * Revokes one secret at once (a leak does not wait for an overlap). Revoking a revoked secret
 * changes nothing and keeps the first time, so a retried request is harmless.
 */
export function revokeSecret(records: readonly ClientSecretRecord[], id: string, now: Date): ClientSecretRecord[] {
  if (!records.some((record) => record.id === id)) {
    throw invalidInput('no such client secret', [{ path: '$.id', reason: `no secret has id "${id}"` }]);
  }
  return records.map((record) =>
    record.id === id && record.revokedAt === undefined ? { ...record, revokedAt: now.toISOString() } : record,
  );
}

export interface BasicCredentials {
  clientId: string;
  secret: string;
}

const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/** application/x-www-form-urlencoded decoding of one value ('+' is a space); undefined when malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Client id and secret from `Authorization: Basic …` (RFC 7617), each form-url-decoded as RFC 6749
 * §2.3.1 requires of clients. Null for anything else: another scheme, bad base64, invalid UTF-8, no
 * colon, bad %-escapes, or an empty id or secret (we never issue either, so such a header is not ours).
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | null {
  if (header === undefined) return null;
  const match = BASIC.exec(header.trim());
  const token = match?.[1];
  if (token === undefined || token.length % 4 !== 0) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(token, 'base64'));
  } catch {
    return null;
  }
  // The user-id cannot contain a colon (RFC 7617 §2); the password may.
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined || clientId === '' || secret === '') return null;
  return { clientId, secret };
}
