import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { AppError } from './errors.ts';

export interface RateLimitOptions {
  redis: Redis;
  /** Requests allowed per window and key. */
  limit: number;
  windowMs?: number;
  logger: Logger;
  keyPrefix: string;
  /** Who is counted: a token subject, a client address… */
  keyOf: (req: Request, res: Response) => string;
  /** Said in the 429 message, e.g. "per client". */
  scopeLabel?: string;
  /**
   * Answers a refused request (status 429 and Retry-After are already set); default the platform's
   * JSON error. A page a person sees (a sign-in form) answers in its own words instead.
   */
  refuse?: (req: Request, res: Response, err: AppError, retryAfterSeconds: number) => void;
}

/**
 * A fixed window per key, counted in Redis so every replica shares the count. If Redis fails the
 * request goes through: an unavailable limiter must not take the whole API down with it.
 */
export function redisRateLimit(opts: RateLimitOptions): RequestHandler {
  const windowMs = opts.windowMs ?? 60_000;
  return async (req, res, next) => {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const key = `${opts.keyPrefix}:${opts.keyOf(req, res)}:${window}`;
    let count: number;
    try {
      const replies = await opts.redis.multi().incr(key).pexpire(key, windowMs).exec();
      const [incrError, value] = replies?.[0] ?? [new Error('no reply to INCR'), undefined];
      if (incrError) throw incrError;
      count = Number(value);
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable: request let through');
      next();
      return;
    }
    const resetSeconds = Math.ceil(((window + 1) * windowMs - now) / 1000);
    res.setHeader('ratelimit-limit', String(opts.limit));
    res.setHeader('ratelimit-remaining', String(Math.max(0, opts.limit - count)));
    res.setHeader('ratelimit-reset', String(resetSeconds));
    if (count > opts.limit) {
      res.setHeader('retry-after', String(resetSeconds));
      const per = windowMs === 60_000 ? 'minute' : `${Math.round(windowMs / 1000)} s`;
      const err = new AppError(
        'RATE_LIMITED',
        `rate limit of ${opts.limit} requests per ${per}${opts.scopeLabel ? ` ${opts.scopeLabel}` : ''} exceeded; retry in ${resetSeconds} s`,
      );
      res.status(err.status);
      if (opts.refuse) opts.refuse(req, res, err, resetSeconds);
      else res.json(err.toJSON());
      return;
    }
    next();
  };
}
