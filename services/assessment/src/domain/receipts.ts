import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalBody, sha256Hex } from './inputs.ts';

// Receipts (回执) prove to an agency what we received and when, and to us that an agency's copy
// was not edited: each is hashed over its canonical JSON, signed with the platform's Ed25519 key,
// and links to the previous version's receipt, so dropping or rewriting a version breaks the chain.

export interface ReceiptBody {
  agencyId: string;
  assessmentId: string;
  version: number;
  /** Content hash of the version received (inputs.contentHash). */
  bodyHash: string;
  receivedAt: string;
  /** Hash of the previous version's receipt; null for version 1. */
  previousReceiptHash: string | null;
}

export interface SignedReceipt extends ReceiptBody {
  /** SHA-256 hex of the canonical JSON of the six body fields. */
  hash: string;
  /** base64url Ed25519 signature over the UTF-8 bytes of `hash` (the 64 hex characters). */
  signature: string;
}

// Only these fields are hashed: a signed receipt passed back in hashes the same as its body, and a
// field added to a stored receipt later cannot change old hashes.
function bodyOf(receipt: ReceiptBody): ReceiptBody {
  return {
    agencyId: receipt.agencyId,
    assessmentId: receipt.assessmentId,
    version: receipt.version,
    bodyHash: receipt.bodyHash,
    receivedAt: receipt.receivedAt,
    previousReceiptHash: receipt.previousReceiptHash,
  };
}

/** SHA-256 hex of the receipt body's canonical JSON (keys sorted, no whitespace). */
export function receiptHash(body: ReceiptBody): string {
  return sha256Hex(canonicalBody(bodyOf(body)));
}

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`receipts are signed with Ed25519: expected an ed25519 ${type} key`);
  }
}

/** Hashes and signs a receipt. Ed25519 is deterministic, so the same body and key give the same signature. */
export function signReceipt(body: ReceiptBody, privateKey: KeyObject): SignedReceipt {
  requireEd25519(privateKey, 'private');
  const hash = receiptHash(body);
  const signature = sign(null, Buffer.from(hash, 'utf8'), privateKey).toString('base64url');
  return { ...bodyOf(body), hash, signature };
}

/**
 * The signed receipt of a new version, chained: version 1 links to nothing, each later version to
 * the receipt of the version it supersedes.
 */
export function receiptForVersion(
  fields: Omit<ReceiptBody, 'previousReceiptHash'>,
  previous: Pick<SignedReceipt, 'hash'> | null,
  privateKey: KeyObject,
): SignedReceipt {
  return signReceipt({ ...fields, previousReceiptHash: previous?.hash ?? null }, privateKey);
}

/** True when the hash matches the fields (any field changed → false) and the signature is the key's. */
export function verifyReceipt(receipt: SignedReceipt, publicKey: KeyObject): boolean {
  if (receiptHash(receipt) !== receipt.hash) return false;
  try {
    return verify(null, Buffer.from(receipt.hash, 'utf8'), publicKey, Buffer.from(receipt.signature, 'base64url'));
  } catch {
    // A key of another type or a garbled signature is a failed verification, not a crash.
    return false;
  }
}

export type ChainCheck = { ok: true } | { ok: false; brokenAt: number; reason: string };

/**
 * Checks the receipts of one assessment in version order: versions 1, 2, 3… with no gap, each
 * hash recomputing from its fields, each linking to the previous receipt's hash (the first to
 * null), all of the same agency and assessment. With `publicKey`, signatures are checked too.
 * `brokenAt` is the index of the first receipt that fails.
 */
export function verifyChain(receipts: readonly SignedReceipt[], publicKey?: KeyObject): ChainCheck {
  for (let index = 0; index < receipts.length; index++) {
    const receipt = receipts[index] as SignedReceipt;
    const previous = index === 0 ? undefined : (receipts[index - 1] as SignedReceipt);
    const broken = (reason: string): ChainCheck => ({ ok: false, brokenAt: index, reason });

    if (receiptHash(receipt) !== receipt.hash) return broken('hash does not match the receipt fields: the receipt was altered');
    if (publicKey !== undefined && !verifyReceipt(receipt, publicKey)) return broken('signature is not valid for the key');
    if (previous === undefined) {
      if (receipt.version !== 1) return broken(`the chain must start at version 1, got ${receipt.version}`);
      if (receipt.previousReceiptHash !== null) return broken('version 1 must have previousReceiptHash null');
      continue;
    }
    if (receipt.agencyId !== previous.agencyId || receipt.assessmentId !== previous.assessmentId) {
      return broken('belongs to another agency or assessment than the receipts before it');
    }
    if (receipt.version !== previous.version + 1) {
      return broken(`version ${receipt.version} follows version ${previous.version}; expected ${previous.version + 1}`);
    }
    if (receipt.previousReceiptHash !== previous.hash) {
      return broken(`previousReceiptHash does not link to the receipt of version ${previous.version}`);
    }
  }
  return { ok: true };
}

// PKCS#8 DER header of an Ed25519 private key (RFC 8410): SEQUENCE { version 0, AlgorithmIdentifier
// 1.3.101.112, OCTET STRING { OCTET STRING (32 bytes) } }; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface ReceiptKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/**
 * The receipt key pair from a 32-byte seed, so the key can live in configuration as one secret
 * and every replica signs with the same key; `publicKeyPem` is what agencies verify with.
 */
export function receiptKeyFromSeed(seed32: Buffer): ReceiptKeys {
  if (seed32.length !== 32) throw new TypeError(`an Ed25519 seed is 32 bytes, got ${seed32.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed32]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey, publicKeyPem };
}
