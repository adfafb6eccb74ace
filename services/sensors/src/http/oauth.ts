import { oauthTokenHandler } from '@firegov/auth';
import { redisRateLimit, type Logger, type Redis } from '@firegov/kit';
import express, { Router, type RequestHandler } from 'express';
import type { GatewayCaller, GatewayTokens } from '../service/gateway-tokens.ts';

/**
 * `POST /oauth/token` for device gateways: client credentials (HTTP Basic or form fields) in, a
 * bearer token for ingest out; refusals in RFC 6749 §5.2's shape. Each attempt costs a scrypt
 * check (tens of ms of CPU), so attempts are counted per client address; a gateway needs a token
 * only every few minutes.
 */
export function oauthRouter(o: {
  tokens: GatewayTokens;
  redis: Redis;
  logger: Logger;
  /** The service's Redis key prefix. */
  keyPrefix: string;
  perMinute?: number;
}): Router {
  const router = Router();
  router.post(
    '/oauth/token',
    redisRateLimit({
      redis: o.redis,
      limit: o.perMinute ?? 60,
      logger: o.logger,
      keyPrefix: `${o.keyPrefix}rate:oauth`,
      keyOf: (req) => req.ip ?? 'unknown',
      scopeLabel: 'per client address',
    }),
    express.urlencoded({ extended: false, limit: '4kb' }),
    oauthTokenHandler(o.tokens, 'firegov-sensors'),
  );
  return router;
}

/** Express middleware for ingest routes: a gateway's bearer token, or 401 in the platform's error shape. */
export const requireGateway =
  (tokens: GatewayTokens): RequestHandler =>
  async (req, res, next) => {
    res.locals.gateway = await tokens.verify(req.header('authorization'));
    next();
  };

/** The gateway requireGateway verified for this request. */
export function gatewayOf(res: { locals: Record<string, unknown> }): GatewayCaller {
  const caller = res.locals.gateway as GatewayCaller | undefined;
  if (!caller) throw new Error('no gateway on this request: mount requireGateway before this handler');
  return caller;
}
