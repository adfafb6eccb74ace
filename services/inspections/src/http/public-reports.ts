import { type Logger, redisRateLimit, validationFailed } from '@firegov/kit';
import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { publicReportsOpenApi } from './public-openapi.ts';
import { open311Services } from '../domain/reports.ts';
import type { ReportService } from '../service/reports.ts';

/**
 * The public reporting API (举报投诉, 吹哨人), Open311 GeoReport v2 in spirit: no account, so every
 * route is rate limited per client address, and a report can be followed only with the tracking
 * token handed out once at submission. Documented by the OpenAPI document it serves.
 */
export function publicReportsRouter(opts: {
  reports: ReportService;
  redis: Redis;
  logger: Logger;
  perMinute: number;
  keyPrefix: string;
}): Router {
  const router = Router();
  const clientKey = (req: Request) => req.ip ?? 'unknown';
  const limit = (bucket: string, perMinute: number) =>
    redisRateLimit({
      redis: opts.redis,
      limit: perMinute,
      logger: opts.logger,
      keyPrefix: `${opts.keyPrefix}rate:${bucket}`,
      keyOf: clientKey,
      scopeLabel: 'per client',
    });

  router.get('/public/v1/openapi.json', (req, res) => {
    res.json(publicReportsOpenApi({ serverUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}` }));
  });
  router.get('/public/v1/services', limit('read', opts.perMinute * 10), (_req, res) => {
    res.json(open311Services());
  });
  router.post('/public/v1/requests', limit('submit', opts.perMinute), async (req, res) => {
    const jurisdiction = req.query.jurisdiction_id;
    if (jurisdiction !== undefined && typeof jurisdiction !== 'string') {
      throw validationFailed(
        [{ path: '$.jurisdiction_id', reason: 'must be given once, as a 12-digit division code' }],
        'invalid jurisdiction_id',
      );
    }
    const created = await opts.reports.submit(req.body, {
      ...(jurisdiction !== undefined ? { jurisdictionId: jurisdiction } : {}),
      clientKey: clientKey(req),
    });
    res
      .status(201)
      .location(`/public/v1/requests/${created.token}`)
      .json({ token: created.token, status: created.status, status_url: `/public/v1/requests/${created.token}` });
  });
  // Lookups are limited too: the token space is 120 bits, but nobody gets to try tokens at speed.
  router.get('/public/v1/requests/:token', limit('lookup', opts.perMinute * 3), async (req, res) => {
    res.json(await opts.reports.status(String(req.params.token)));
  });
  return router;
}
