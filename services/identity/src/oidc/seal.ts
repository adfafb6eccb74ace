import { AppError } from '@firegov/kit';
import type { JWK } from 'jose';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// The signing keys' private parts at rest: AES-256-GCM under KEY_ENCRYPTION_KEY, so a copy of the
// store (a backup, a dump, a read-only account) holds no key that can sign a token. The key id is
// the additional authenticated data: a sealed key moved to another record does not open.

export interface SealedJwk {
  alg: 'A256GCM';
  /** base64url: 12-byte nonce, 16-byte tag, ciphertext of the JWK's JSON. */
  iv: string;
  tag: string;
  data: string;
}

export interface KeySealer {
  seal(jwk: JWK, kid: string): SealedJwk;
  open(sealed: SealedJwk, kid: string): JWK;
}

export function keySealer(kek: Buffer): KeySealer {
  if (kek.length !== 32) throw new TypeError(`KEY_ENCRYPTION_KEY must be 32 bytes, got ${kek.length}`);
  return {
    seal(jwk, kid) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', kek, iv);
      cipher.setAAD(Buffer.from(kid));
      const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
      return {
        alg: 'A256GCM',
        iv: iv.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
        data: data.toString('base64url'),
      };
    },
    open(sealed, kid) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64url'));
        decipher.setAAD(Buffer.from(kid));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]);
        return JSON.parse(plain.toString('utf8')) as JWK;
      } catch (cause) {
        // Never the key material in the message: only which key and what to check.
        throw new AppError(
          'INTERNAL',
          `signing key ${kid} cannot be decrypted: KEY_ENCRYPTION_KEY is not the key it was stored with, or the record was altered`,
          { cause, details: [{ path: 'KEY_ENCRYPTION_KEY', reason: `does not open signing key ${kid}` }] },
        );
      }
    },
  };
}
