import { identityOf, requireIdentity, type VerifyTokenOptions } from '@firegov/auth';
import { Router } from 'express';
import type { XapiService } from '../service/xapi.ts';
import { xapiOpenApi } from './xapi-openapi.ts';

/**
 * The learning platform's REST endpoint: POST /xapi/statements with a bearer JWT of role
 * learning_platform (signed with the platform's shared secret, like every caller's token), and
 * the OpenAPI 3.1 document at GET /xapi/openapi.json.
 */
export function xapiRouter(opts: { xapi: XapiService; auth: VerifyTokenOptions }): Router {
  const router = Router();
  router.get('/xapi/openapi.json', (req, res) => {
    res.json(xapiOpenApi({ serverUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}` }));
  });
  router.post('/xapi/statements', requireIdentity(opts.auth), async (req, res) => {
    res.json(await opts.xapi.receive(identityOf(res), req.body));
  });
  return router;
}
