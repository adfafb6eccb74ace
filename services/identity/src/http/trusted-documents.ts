import { identityOf, requireIdentity, type VerifyTokenOptions } from '@firegov/auth';
import { notFound } from '@firegov/kit';
import { Router } from 'express';
import type { ClientService } from '../service/client.ts';

/** Where the gateway reads a platform client's trusted documents. */
export const TRUSTED_DOCUMENTS_PATH = '/trusted-documents';

/**
 * GET /trusted-documents with a platform client's own bearer token: that client's trusted
 * documents, for the gateway, which asks with the token of the request it is deciding on. A caller
 * learns only its own client's documents (its token's subject is its client id); a person's token,
 * or a revoked client's, finds none (404).
 */
export function trustedDocumentsRouter(o: { auth: VerifyTokenOptions; clients: ClientService }): Router {
  const router = Router();
  router.get(TRUSTED_DOCUMENTS_PATH, requireIdentity(o.auth), async (_req, res) => {
    const clientId = identityOf(res).subject;
    const own = await o.clients.ownDocuments(clientId);
    if (!own) throw notFound('active platform client');
    // A removed document must stop working within the gateway's cache time: no cache between.
    res.setHeader('cache-control', 'no-store');
    res.json({
      clientId,
      trustedDocumentsOnly: own.trustedDocumentsOnly,
      documents: own.documents.map((d) => ({ hash: d.hash, document: d.document })),
    });
  });
  return router;
}
