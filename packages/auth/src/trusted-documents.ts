import { AppError } from '@firegov/kit';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Identity } from './identity.ts';

// A platform client limited to trusted documents may run only the documents registered for it, and
// only the gateway knows them. A subgraph therefore serves such a client's token only on a request
// the gateway forwarded: the gateway adds a proof, an HMAC over the bearer token under a key it
// shares with the subgraphs (GATEWAY_FORWARD_KEYS). The client never sees a proof (it travels
// gateway → subgraph only) and cannot make one, and a proof is bound to one token, so a proof that
// leaked from the internal network is worth nothing with any other token. This key signs no token:
// it only says "this request passed the gateway".

/** The claim of a platform client's token limited to its trusted documents (value `true`; absent otherwise). */
export const TRUSTED_DOCUMENTS_CLAIM = 'trusted_documents';

/** The header the gateway adds to every request it forwards to a subgraph. */
export const GATEWAY_FORWARD_HEADER = 'x-firegov-gateway-forward';

const MIN_KEY_LENGTH = 32;
// Domain separation: the same key material can never produce a value some other HMAC use accepts.
const CONTEXT = 'firegov gateway-forward v1\n';

/**
 * GATEWAY_FORWARD_KEYS: comma-separated, newest first, each at least 32 characters. The gateway proves
 * with the first; a subgraph accepts any, so a new key is rolled out to the subgraphs (second place)
 * before the gateway (first place), and the old one removed afterwards.
 */
export const gatewayForwardKeysSchema = z
  .string({ error: 'is required: the key the gateway proves a forwarded request with (shared by gateway and subgraphs)' })
  .transform((s) => s.split(',').map((k) => k.trim()))
  .pipe(z.array(z.string().min(MIN_KEY_LENGTH, `each key must be at least ${MIN_KEY_LENGTH} characters`)).min(1));

/** The proof the gateway sends with `token` (base64url HMAC-SHA256). */
export function gatewayForwardProof(key: string, token: string): string {
  return createHmac('sha256', key).update(CONTEXT).update(token).digest('base64url');
}

/** True when `proof` is the gateway's proof for `token` under one of `keys` (compared in constant time). */
export function isForwardedByGateway(keys: readonly string[], token: string, proof: string | null | undefined): boolean {
  if (!proof) return false;
  const given = Buffer.from(proof);
  return keys.some((key) => {
    const expected = Buffer.from(gatewayForwardProof(key, token));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/**
 * FORBIDDEN when a token limited to trusted documents reached a subgraph without the gateway's proof,
 * else undefined (everyone else may call a subgraph directly; it verifies and authorizes them itself).
 * Without keys (a subgraph not configured for it) such a token is always refused: fail closed.
 */
export function gatewayForwardRefusal(
  identity: Pick<Identity, 'trustedDocumentsOnly'>,
  token: string,
  proof: string | null | undefined,
  keys: readonly string[] | undefined,
): AppError | undefined {
  if (identity.trustedDocumentsOnly !== true) return undefined;
  if (keys !== undefined && isForwardedByGateway(keys, token, proof)) return undefined;
  return new AppError(
    'FORBIDDEN',
    'this platform client may run only its trusted documents, through the gateway; this request did not come through the gateway',
    {
      details: [
        {
          path: TRUSTED_DOCUMENTS_CLAIM,
          reason: proof
            ? `the ${GATEWAY_FORWARD_HEADER} header is not the gateway's proof for this token`
            : `no ${GATEWAY_FORWARD_HEADER} header`,
        },
      ],
    },
  );
}
