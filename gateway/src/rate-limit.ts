import { identityOf } from '@firegov/auth';
import { AppError, type Logger, type Redis } from '@firegov/kit';
import type { RequestHandler } from 'express';

export interface RateLimitOptions {
  redis: Redis;
  perMinute: number;
  logger: Logger;
  keyPrefix?: string;
}

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per identity (token subject), counted in Redis so every gateway
 * replica shares the count. Mount after requireIdentity. If Redis fails the request goes through:
 * an unavailable limiter must not take the whole API down with it.
 */
export function rateLimitPerSubject(opts: RateLimitOptions): RequestHandler {
  const prefix = opts.keyPrefix ?? 'firegov:gateway:rate';
  return async (_req, res, next) => {
    const { subject } = identityOf(res);
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${prefix}:${subject}:${window}`;
    let count: number;
    try {
      const replies = await opts.redis.multi().incr(key).pexpire(key, WINDOW_MS).exec();
      const [incrError, value] = replies?.[0] ?? [new Error('no reply to INCR'), undefined];
      if (incrError) throw incrError;
      count = Number(value);
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable: request let through');
      next();
      return;
    }
    const resetSeconds = Math.ceil(((window + 1) * WINDOW_MS - now) / 1000);
    res.setHeader('ratelimit-limit', String(opts.perMinute));
    res.setHeader('ratelimit-remaining', String(Math.max(0, opts.perMinute - count)));
    res.setHeader('ratelimit-reset', String(resetSeconds));
    if (count > opts.perMinute) {
      res.setHeader('retry-after', String(resetSeconds));
      const err = new AppError(
        'RATE_LIMITED',
        `rate limit of ${opts.perMinute} requests per minute exceeded; retry in ${resetSeconds} s`,
      );
      res.status(err.status).json(err.toJSON());
      return;
    }
    next();
  };
}
