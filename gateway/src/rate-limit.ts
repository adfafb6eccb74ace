import { identityOf } from '@firegov/auth';
import { redisRateLimit, type Logger, type Redis } from '@firegov/kit';
import type { RequestHandler } from 'express';

export interface RateLimitOptions {
  redis: Redis;
  perMinute: number;
  logger: Logger;
  keyPrefix?: string;
}

/** A one-minute window per identity (token subject), shared by every gateway replica. Mount after requireIdentity. */
export function rateLimitPerSubject(opts: RateLimitOptions): RequestHandler {
  return redisRateLimit({
    redis: opts.redis,
    limit: opts.perMinute,
    logger: opts.logger,
    keyPrefix: opts.keyPrefix ?? 'firegov:gateway:rate',
    keyOf: (_req, res) => identityOf(res).subject,
  });
}
