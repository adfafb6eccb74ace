import { AppError } from '@firegov/kit';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AssessmentDoc } from '../../store/models.ts';

// Pushes are safe to retry. A submission's id derives from the agency and its Idempotency-Key, so
// the store's unique `_id` makes repeated or concurrent pushes store exactly one (the durable
// half); Redis remembers each answer for a fast, byte-identical replay (the quick half).

export interface PushResponse {
  status: number;
  body: unknown;
}

export type IdempotentResponse = PushResponse & { replayed: boolean };

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const PENDING = 'pending';
// How long a claim holds the key while its request runs. A crash leaves the claim behind, and the
// agency's retries wait for it to lapse, so keep it short: a retry that claims a key whose first
// request is in fact still running is safe, as the store's unique `_id` stores one submission and
// the second gets it back (storedForKey). The fault drill measured 61 s waits with 60.
const PENDING_S = 10;
const REMEMBERED_S = 7 * 86_400;
// A first request still running after this long (polled every 50 ms) is reported, not waited for.
const WAIT_ATTEMPTS = 100;

export function requireIdempotencyKey(key: string | undefined): string {
  if (!key || !IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('VALIDATION_FAILED', 'Idempotency-Key header required', {
      details: [{ path: 'header:Idempotency-Key', reason: 'required: 8-100 characters of A-Z a-z 0-9 _ . : -' }],
    });
  }
  return key;
}

/** The id of the assessment an agency's key creates: the same key always names the same assessment. */
export const assessmentIdFor = (agencyId: string, key: string): string =>
  `as_${createHash('sha256').update(`${agencyId}\u0000${key}`).digest('hex').slice(0, 24)}`;

/**
 * The durable half, for when Redis forgot the key but the store holds its assessment: the same
 * request gets that assessment back, another request under the key is a conflict.
 */
export function storedForKey(winner: AssessmentDoc, requestHash: string): AssessmentDoc {
  if (winner.requestHash !== requestHash)
    throw new AppError('CONFLICT', 'this Idempotency-Key was used with a different request');
  return winner;
}

interface Remembered {
  state: string;
  requestHash: string;
  response?: PushResponse;
}

/**
 * Runs `work` once per (agency, key, request): a repeat with the same body gets the first
 * response, a different body 409, a concurrent duplicate waits for the first. Refusals (4xx)
 * are not remembered, so the agency can fix its data and retry with the same key.
 */
export function idempotentResponses(redis: Redis, prefix: string) {
  const keyOf = (agencyId: string, key: string) => `${prefix}idem:${agencyId}:${key}`;

  /** Claims the key, or returns the remembered response of an earlier request with it. */
  async function claim(rkey: string, requestHash: string): Promise<PushResponse | null> {
    for (let attempt = 0; attempt < WAIT_ATTEMPTS; attempt += 1) {
      const claimed = await redis.set(rkey, JSON.stringify({ state: PENDING, requestHash }), 'EX', PENDING_S, 'NX');
      if (claimed === 'OK') return null;
      const seen = JSON.parse((await redis.get(rkey)) ?? 'null') as Remembered | null;
      if (!seen) continue;
      if (seen.requestHash !== requestHash) {
        throw new AppError('CONFLICT', 'this Idempotency-Key was used with a different request', {
          details: [{ path: 'header:Idempotency-Key', reason: 'already used for another body; use a new key for a new request' }],
        });
      }
      if (seen.state !== PENDING && seen.response) return seen.response;
      await sleep(50);
      if (attempt === WAIT_ATTEMPTS - 1)
        throw new AppError('CONFLICT', 'the first request with this Idempotency-Key is still running; retry', {
          retryable: true,
        });
    }
    // Only reached when the key vanished between every SET and GET: run as the first.
    return null;
  }

  return {
    async run(
      agencyId: string,
      key: string,
      requestHash: string,
      work: () => Promise<PushResponse>,
    ): Promise<IdempotentResponse> {
      const rkey = keyOf(agencyId, key);
      const earlier = await claim(rkey, requestHash);
      if (earlier) return { ...earlier, replayed: true };
      try {
        const response = await work();
        await redis.set(rkey, JSON.stringify({ state: 'done', requestHash, response }), 'EX', REMEMBERED_S);
        return { ...response, replayed: false };
      } catch (err) {
        await redis.del(rkey);
        throw err;
      }
    },
  };
}

export type IdempotentResponses = ReturnType<typeof idempotentResponses>;
