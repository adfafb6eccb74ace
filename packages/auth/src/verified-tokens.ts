import type { JWTPayload } from 'jose';
import type { Identity } from './identity.ts';

/** What a verified token says: its claims, and the identity read from them. */
export interface VerifiedToken {
  payload: JWTPayload;
  identity: Identity;
}

/**
 * Tokens whose signature and claims were verified here lately, by the token itself: a client sends
 * the same token with every request for hours, and checking its ES256 signature each time was the
 * largest single cost of an authenticated request at the gateway. An entry is used for `ttlMs` at
 * most and never past the token's `exp`; what can change meanwhile is still checked on every use
 * (the client's cutoff). A signing key the issuer revokes stops verifying here within the JWKS
 * cache age (10 min) plus `ttlMs`.
 */
export function verifiedTokens(opts: { ttlMs?: number; maxEntries?: number } = {}) {
  const ttlMs = opts.ttlMs ?? 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { token: VerifiedToken; until: number }>();
  return {
    /** What `token` was verified to say, unless unknown, older than `ttlMs` or expired at `nowMs`. */
    get(token: string, nowMs: number): VerifiedToken | undefined {
      const hit = entries.get(token);
      if (!hit) return undefined;
      if (nowMs < hit.until) return hit.token;
      entries.delete(token);
      return undefined;
    },
    /** Remembers a token just verified at `nowMs`. */
    set(token: string, verified: VerifiedToken, nowMs: number): void {
      const exp = typeof verified.payload.exp === 'number' ? verified.payload.exp * 1000 : nowMs;
      entries.set(token, { token: verified, until: Math.min(nowMs + ttlMs, exp) });
      // The oldest entry goes first: a bound, not a policy.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

export type VerifiedTokens = ReturnType<typeof verifiedTokens>;
