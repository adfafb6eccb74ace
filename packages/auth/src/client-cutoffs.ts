import { AppError, type Redis } from '@firegov/kit';
import { z } from 'zod';

// A JWT cannot be called back once issued, so revoking a platform client or rotating its secret
// leaves a cutoff: its tokens issued at or before that second are refused by every verifier (the
// gateway and every subgraph) until the last of them would have expired anyway. The identity
// service writes a cutoff before and after it changes the client; verifiers read it for each
// platform client's token. People's tokens are never looked up.

export type CutoffReason = 'revoked' | 'secret_rotated' | 'trusted_documents_only';

export interface ClientCutoff {
  /** Epoch seconds: tokens with `iat` at or before it are refused. */
  at: number;
  reason: CutoffReason;
}

/** Where verifiers read the cutoffs and the identity service writes them. */
export interface ClientCutoffs {
  /** The client's cutoff, or undefined; throws AppError UNAVAILABLE when it cannot be told (fail closed). */
  cutoffOf(clientId: string): Promise<ClientCutoff | undefined>;
  /** Records a cutoff (a later one wins) for as long as a token issued before it can live. */
  record(clientId: string, cutoff: ClientCutoff): Promise<void>;
}

/**
 * How long a cutoff is kept, in seconds: the longest access-token lifetime the identity service can
 * be configured with (ACCESS_TOKEN_TTL ≤ 3600) plus clock skew. After that every token it refuses
 * has expired, and a revoked client gets no new one.
 */
export const CUTOFF_RETENTION_S = 3600 + 600;

/** The Redis key prefix every verifier and the identity service share (AUTH_CLIENT_CUTOFF_PREFIX). */
export const DEFAULT_CUTOFF_PREFIX = 'firegov:auth:client-cutoff:';

const storedSchema = z.object({
  at: z.number().int(),
  reason: z.enum(['revoked', 'secret_rotated', 'trusted_documents_only']),
});

// Keep the later cutoff: two writes (before and after the client changes) and replicas racing.
const RECORD_LATER = `
local old = redis.call('GET', KEYS[1])
if old then
  local ok, prev = pcall(cjson.decode, old)
  if ok and type(prev) == 'table' and tonumber(prev.at) and tonumber(prev.at) > tonumber(ARGV[2]) then
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

/**
 * The cutoffs in Redis under `prefix` + client id. A read that fails or takes longer than
 * `timeoutMs` (default 300 ms: Redis answers in well under a millisecond) refuses the request as
 * UNAVAILABLE rather than letting a possibly revoked client through.
 */
export function redisClientCutoffs(redis: Redis, o: { prefix?: string; timeoutMs?: number } = {}): ClientCutoffs {
  const prefix = o.prefix ?? DEFAULT_CUTOFF_PREFIX;
  const timeoutMs = o.timeoutMs ?? 300;
  const unavailable = (cause: unknown) =>
    new AppError(
      'UNAVAILABLE',
      "cannot tell whether this token's platform client was revoked (Redis did not answer); retry shortly",
      {
        cause,
      },
    );
  return {
    async cutoffOf(clientId) {
      let raw: string | null;
      let timer: NodeJS.Timeout | undefined;
      try {
        raw = await Promise.race([
          redis.get(prefix + clientId),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (err) {
        throw unavailable(err);
      } finally {
        clearTimeout(timer);
      }
      if (raw === null) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const cutoff = storedSchema.safeParse(parsed);
      // Unreadable: refuse everything the client holds rather than guess.
      return cutoff.success ? cutoff.data : { at: Number.MAX_SAFE_INTEGER, reason: 'revoked' };
    },
    async record(clientId, cutoff) {
      await redis.eval(RECORD_LATER, 1, prefix + clientId, JSON.stringify(cutoff), String(cutoff.at), String(CUTOFF_RETENTION_S));
    },
  };
}

const REASON_TEXT: Readonly<Record<CutoffReason, string>> = {
  revoked: 'its platform client was revoked',
  secret_rotated: "its platform client's secret was rotated",
  trusted_documents_only: 'its platform client was limited to trusted documents',
};

/** UNAUTHENTICATED when a token issued at `iat` (undefined: unknown) falls at or before the cutoff, else undefined. */
export function cutoffRefusal(iat: number | undefined, cutoff: ClientCutoff | undefined): AppError | undefined {
  if (cutoff === undefined || (iat !== undefined && iat > cutoff.at)) return undefined;
  const when = cutoff.at >= Number.MAX_SAFE_INTEGER / 2 ? '' : ` (${new Date(cutoff.at * 1000).toISOString()})`;
  const next = cutoff.reason === 'revoked' ? '' : '; get a new token';
  return new AppError('UNAUTHENTICATED', `token was issued before ${REASON_TEXT[cutoff.reason]}${when}${next}`, {
    details: [{ path: 'iat', reason: `at or before the client's cutoff: ${cutoff.reason}` }],
  });
}
