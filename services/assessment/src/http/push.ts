import { oauthTokenHandler } from '@firegov/auth';
import { redisRateLimit, type Logger } from '@firegov/kit';
import express, { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { pushOpenApi } from './push-openapi.ts';
import type { AssessmentDoc } from '../store/models.ts';
import type { SubmissionService } from '../service/assessments/submissions.ts';
import type { AgencyCaller, TokenService } from '../service/tokens.ts';

const callerOf = (res: Response): AgencyCaller => res.locals.caller as AgencyCaller;

/** What an agency reads back: its own submission, every version with its receipt. */
const view = (doc: AssessmentDoc) => ({
  id: doc._id,
  unitId: doc.unitId,
  status: doc.status,
  version: doc.version,
  current: doc.current,
  versions: doc.versions.map((v) => ({
    version: v.version,
    kind: v.kind,
    submittedAt: v.submittedAt,
    reason: v.reason,
    receipt: v.receipt,
  })),
  ...(doc.withdrawnAt ? { withdrawnAt: doc.withdrawnAt, withdrawnReason: doc.withdrawnReason } : {}),
});

/**
 * The agencies' REST API: OAuth2 client credentials at /oauth/token, then pushes with the bearer
 * token and an Idempotency-Key. Documented by the OpenAPI 3.1 document it serves.
 */
export function pushRouter(opts: {
  tokens: TokenService;
  submissions: SubmissionService;
  receiptPublicKeyPem: string;
  redis: Redis;
  logger: Logger;
  perMinute: number;
  keyPrefix: string;
}): Router {
  const router = Router();
  router.get('/v1/openapi.json', (req, res) => {
    res.json(pushOpenApi({ serverUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}` }));
  });
  router.get('/v1/receipt-key', (_req, res) => {
    res.type('application/x-pem-file').send(opts.receiptPublicKeyPem);
  });

  router.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: '4kb' }),
    oauthTokenHandler(opts.tokens, 'firegov-assessment'),
  );

  const authenticated = Router();
  authenticated.use(async (req, res, next) => {
    res.locals.caller = await opts.tokens.verify(req.header('authorization'));
    next();
  });
  authenticated.use(
    redisRateLimit({
      redis: opts.redis,
      limit: opts.perMinute,
      logger: opts.logger,
      keyPrefix: `${opts.keyPrefix}rate:push`,
      keyOf: (_req, res) => callerOf(res).agencyId,
      scopeLabel: 'per agency',
    }),
  );
  const send = (res: Response, r: { status: number; body: unknown; replayed?: boolean }) => {
    if (r.replayed) res.set('idempotent-replayed', 'true');
    res.status(r.status).json(r.body);
  };
  authenticated.post('/assessments', async (req: Request, res) => {
    send(res, await opts.submissions.submit(callerOf(res), req.header('idempotency-key'), req.body));
  });
  authenticated.get('/assessments', async (_req, res) => {
    res.json({ items: (await opts.submissions.listOwn(callerOf(res))).map(view) });
  });
  authenticated.get('/assessments/:id', async (req, res) => {
    res.json(view(await opts.submissions.get(callerOf(res), String(req.params.id))));
  });
  authenticated.post('/assessments/:id/amendments', async (req, res) => {
    send(res, await opts.submissions.amend(callerOf(res), String(req.params.id), req.header('idempotency-key'), req.body));
  });
  authenticated.post('/assessments/:id/withdrawal', async (req, res) => {
    send(res, await opts.submissions.withdraw(callerOf(res), String(req.params.id), req.body));
  });
  // Mounted under /v1 after the public routes above, so /graphql and the health routes never see it.
  router.use('/v1', authenticated);
  return router;
}
