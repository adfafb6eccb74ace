import { jsonPath, type ErrorDetail } from '@firegov/contracts';
import type { z } from 'zod';

// One ErrorDetail and one jsonPath for the platform: the domain's (contracts) and the API's errors
// name fields the same way.
export type { ErrorDetail } from '@firegov/contracts';

/**
 * Typed errors with stable codes. Every HTTP and GraphQL error the platform returns carries one of
 * these codes; clients branch on the code, never on the message.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  /** Set for errors a client may retry as is (the same request may succeed later). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, opts: { details?: ErrorDetail[]; cause?: unknown; retryable?: boolean } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ErrorCodes[code];
    this.details = opts.details ?? [];
    this.retryable = opts.retryable ?? (code === 'UNAVAILABLE' || code === 'RATE_LIMITED');
  }

  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export const validationFailed = (details: ErrorDetail[], message = 'request validation failed'): AppError =>
  new AppError('VALIDATION_FAILED', message, { details });
export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: ErrorDetail[]): AppError =>
  new AppError('CONFLICT', message, details ? { details } : {});
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = 'authentication required'): AppError => new AppError('UNAUTHENTICATED', message);

/** Every zod issue becomes one detail, so a client sees all bad fields in one answer. */
export function detailsFromZod(error: z.ZodError, root = '$'): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path, root), reason: issue.message }));
}

export function fromZod(error: z.ZodError, root = '$'): AppError {
  return validationFailed(detailsFromZod(error, root));
}

// The errors the store, Redis and Kafka clients raise when they cannot reach their server (by name,
// so kit need not import the drivers). Found anywhere on the cause chain.
const OUTAGE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MaxRetriesPerRequestError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
]);

/** Whether `err` (or what caused it) says a server the request needs could not be reached. */
export function isDependencyOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (OUTAGE_ERRORS.has(e.name) || OUTAGE_ERRORS.has(e.constructor.name)) return true;
    // ioredis rejects commands on a connection that went away with a plain Error.
    if (e.message === 'Connection is closed.') return true;
  }
  return false;
}

/**
 * Anything that is not an AppError is an internal error whose message must not leak to clients,
 * except an unreachable store, Redis or Kafka: that is UNAVAILABLE (503), which a client retries —
 * the fault drill (load-tests/drill) met 500s while Redis was down.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isDependencyOutage(err))
    return new AppError('UNAVAILABLE', 'a service this request needs is unreachable; retry shortly', { cause: err });
  return new AppError('INTERNAL', 'internal error', { cause: err });
}

interface DomainLike {
  name: string;
  code: string;
  message: string;
  details?: ErrorDetail[];
}

const isDomainError = (err: unknown): err is DomainLike =>
  err instanceof Error && err.name === 'DomainError' && typeof (err as { code?: unknown }).code === 'string';

/**
 * Runs pure domain logic and turns its refusals (errors named `DomainError` with a string code)
 * into the API's typed errors: VALIDATION_FAILED and FORBIDDEN keep their code; any other refusal
 * (a step the record's state does not allow) is CONFLICT — the request is fine, the record's state
 * is not.
 */
export function fromDomain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isDomainError(err)) {
      const code = err.code === 'VALIDATION_FAILED' || err.code === 'FORBIDDEN' ? err.code : 'CONFLICT';
      throw new AppError(code, err.message, { details: err.details ?? [], cause: err });
    }
    throw err;
  }
}

export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;

/**
 * A GraphQL error message without graphql-js's "Did you mean …?" hints: they name fields and enum
 * values the caller did not ask for, which maps the schema without introspection.
 */
export const withoutSuggestions = (message: string): string => message.replace(/\s*Did you mean [^?]*\?/g, '');
