import { AppError } from '@firegov/kit';

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === DUPLICATE_KEY;
}

export const fieldError = (path: string, reason: string, message = 'request validation failed'): AppError =>
  new AppError('VALIDATION_FAILED', message, { details: [{ path, reason }] });
