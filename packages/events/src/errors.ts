import { AppError } from '@firegov/kit';
import { ZodError } from 'zod';

/**
 * Thrown by a handler for a message that can never succeed (it refers to something that cannot
 * exist, breaks an invariant...). The consumer dead-letters it at once instead of retrying.
 */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** Client-type errors and schema errors will fail the same way on every retry. */
export function isPermanentByDefault(err: unknown): boolean {
  if (err instanceof PermanentError || err instanceof ZodError) return true;
  if (err instanceof AppError) return err.status < 500;
  return false;
}
