import { bearerToken, TRUSTED_DOCUMENTS_CLAIM, unverifiedClaims } from '@firegov/auth';
import type { Logger } from '@firegov/kit';
import { createGraphQLError } from 'graphql-yoga';
import { z } from 'zod';

// Trusted documents (persisted operations): a platform client registered as limited to them (its
// token carries `trusted_documents: true`) may run only the documents its county administrator
// registered at the identity service, sent by hash. Every other caller is unaffected. The
// mechanism is the runtime's (persistedDocuments → @graphql-yoga/plugin-persisted-operations); this
// module decides who is limited, finds the client's documents, and words the refusals.

/** The `extensions.code` of each refusal; clients branch on these, never on the message. */
export const TrustedDocumentCodes = {
  /** A limited client sent a query text. */
  only: 'TRUSTED_DOCUMENTS_ONLY',
  /** A limited client sent a hash that is none of its documents (unknown, or another client's). */
  notInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** Anyone else sent a hash alone: Apollo's automatic persisted queries then resend with the text. */
  notFound: 'PERSISTED_QUERY_NOT_FOUND',
} as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The client id of a caller limited to its trusted documents, from the bearer token's claims; undefined
 * for anyone else. The token was verified by requireIdentity in front of the runtime (same header),
 * so its claims are only read here.
 */
export function limitedClientOf(authorization: string | null): string | undefined {
  const claims = unverifiedClaims(bearerToken(authorization));
  if (claims === undefined) return undefined;
  const clientId = claims.client_id;
  return claims[TRUSTED_DOCUMENTS_CLAIM] === true && typeof clientId === 'string' && clientId !== '' ? clientId : undefined;
}

const limitedClientOfRequest = (request: Request) => limitedClientOf(request.headers.get('authorization'));

interface CacheEntry {
  documents: ReadonlyMap<string, string>;
  fetchedAt: number;
}

/**
 * Whether a cached set of documents answers a lookup, or must be fetched again: after `ttlMs`
 * always (a removed document stops working within it), and on a miss once it is `missRefreshMs`
 * old (a document registered a moment ago works almost at once, while a stream of unknown hashes
 * makes at most one fetch per client per `missRefreshMs`).
 */
export function needsFetch(
  entry: CacheEntry | undefined,
  hash: string,
  now: number,
  o: { ttlMs: number; missRefreshMs: number },
): boolean {
  if (!entry) return true;
  const age = now - entry.fetchedAt;
  if (age >= o.ttlMs) return true;
  return !entry.documents.has(hash) && age >= o.missRefreshMs;
}

const answerSchema = z.object({
  clientId: z.string(),
  documents: z.array(z.object({ hash: z.string(), document: z.string() })),
});

export interface TrustedDocumentsOptions {
  /** The identity service's GET /trusted-documents. */
  url: string;
  /** How long a client's documents are used before they are fetched again. */
  ttlMs: number;
  missRefreshMs?: number;
  timeoutMs?: number;
  logger: Logger;
  now?: () => number;
}

/**
 * The runtime's `persistedDocuments` option: arbitrary documents for everyone but limited clients;
 * for those, the client's documents, fetched from the identity service with the caller's own
 * token (it answers a client its own documents only) and kept `ttlMs` per client.
 */
export function trustedDocuments(o: TrustedDocumentsOptions) {
  const now = o.now ?? Date.now;
  const policy = { ttlMs: o.ttlMs, missRefreshMs: Math.min(o.missRefreshMs ?? 2000, o.ttlMs) };
  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<CacheEntry>>();

  async function fetchDocuments(clientId: string, authorization: string): Promise<CacheEntry> {
    let res: Response;
    try {
      res = await fetch(o.url, { headers: { authorization }, signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
    } catch (err) {
      throw unavailable(err);
    }
    // 404: no active client of this id (revoked meanwhile): it has no documents.
    if (res.status === 404) return { documents: new Map(), fetchedAt: now() };
    if (!res.ok) throw unavailable(new Error(`identity service answered ${res.status}`));
    const answer = answerSchema.safeParse(await res.json().catch(() => undefined));
    if (!answer.success || answer.data.clientId !== clientId)
      throw unavailable(new Error('unexpected answer from the identity service'));
    return { documents: new Map(answer.data.documents.map((d) => [d.hash, d.document])), fetchedAt: now() };
  }

  function unavailable(cause: unknown) {
    o.logger.warn({ err: cause, url: o.url }, 'trusted documents could not be read from the identity service');
    return createGraphQLError('trusted documents are unavailable; retry shortly', {
      extensions: { code: 'UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
    });
  }

  async function documentOf(clientId: string, authorization: string, hash: string): Promise<string | null> {
    let entry = cache.get(clientId);
    if (needsFetch(entry, hash, now(), policy)) {
      // One fetch per client at a time, however many of its requests arrive meanwhile.
      let pending = inFlight.get(clientId);
      if (!pending) {
        pending = fetchDocuments(clientId, authorization).finally(() => inFlight.delete(clientId));
        inFlight.set(clientId, pending);
      }
      entry = await pending;
      cache.set(clientId, entry);
    }
    return entry?.documents.get(hash) ?? null;
  }

  const refusal = (code: string, message: string, status: number) => () =>
    createGraphQLError(message, { extensions: { code, http: { status } } });

  return {
    allowArbitraryDocuments: (request: Request) => limitedClientOfRequest(request) === undefined,
    async getPersistedOperation(key: string, request: Request): Promise<string | null> {
      const clientId = limitedClientOfRequest(request);
      const authorization = request.headers.get('authorization');
      if (clientId === undefined || authorization === null || !SHA256_HEX.test(key)) return null;
      return documentOf(clientId, authorization, key);
    },
    customErrors: {
      persistedQueryOnly: refusal(
        TrustedDocumentCodes.only,
        'this client may run only its registered documents: send the hash (extensions.persistedQuery.sha256Hash, or documentId), not the query text',
        403,
      ),
      notFound: (payload: { request: Request }) =>
        limitedClientOfRequest(payload.request) === undefined
          ? refusal(TrustedDocumentCodes.notFound, 'PersistedQueryNotFound', 200)()
          : refusal(TrustedDocumentCodes.notInList, 'no document registered for this client has this hash', 400)(),
      // Neither a query nor a hash: the answer every caller got before persisted documents.
      keyNotFound: () =>
        createGraphQLError('Must provide query string.', {
          extensions: { code: 'BAD_REQUEST', http: { spec: true, status: 400, headers: { Allow: 'GET, POST' } } },
        }),
    },
  };
}
