import { AppError, parseOrThrow } from '@firegov/kit';
import type { z } from 'zod';

const DUPLICATE_KEY = 11000;

export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

/** Validates an outside input; every bad field is named with its JSON path. */
export const parseInput = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => parseOrThrow(schema, input);

interface DomainLike {
  code: string;
  message: string;
  details?: Array<{ path: string; reason: string }>;
}

const isDomainError = (err: unknown): err is DomainLike =>
  err instanceof Error && err.name !== 'AppError' && typeof (err as { code?: unknown }).code === 'string';

/**
 * Runs pure domain logic and turns its refusals into the API's typed errors: a bad argument is
 * VALIDATION_FAILED, a step the state machine does not allow is CONFLICT (the request is fine, the
 * record's state is not).
 */
export function fromDomain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isDomainError(err)) {
      const code = err.code === 'VALIDATION_FAILED' ? 'VALIDATION_FAILED' : 'CONFLICT';
      throw new AppError(code, err.message, { details: err.details ?? [], cause: err });
    }
    throw err;
  }
}
