import { identityOf, requireIdentity, scopeRefusal, type VerifyTokenOptions } from '@firegov/auth';
import { Router } from 'express';
import type { XapiService } from '../service/xapi.ts';
import { xapiOpenApi } from './xapi-openapi.ts';

/**
 * The learning platform's REST endpoint: POST /xapi/statements with a bearer JWT of role
 * learning_platform (a platform client of the identity service, client credentials with scope
 * write), and
 * the OpenAPI 3.1 document at GET /xapi/openapi.json.
 */
export function xapiRouter(opts: { xapi: XapiService; auth: VerifyTokenOptions }): Router {
  const router = Router();
  router.get('/xapi/openapi.json', (req, res) => {
    res.json(xapiOpenApi({ serverUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}` }));
  });
  router.post('/xapi/statements', requireIdentity(opts.auth), async (req, res) => {
    const who = identityOf(res);
    // Statements change learning records: a platform client's token needs write, as a mutation does.
    const unscoped = scopeRefusal(who, 'mutation', 'POST /xapi/statements');
    if (unscoped) throw unscoped;
    res.json(await opts.xapi.receive(who, req.body));
  });
  return router;
}
