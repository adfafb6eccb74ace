import { DomainError, type ErrorDetail } from '@firegov/contracts';

// This service's ways of refusing in pure code. The error type, the parser and the refinement
// switches are the platform's own (@firegov/contracts); import them from there.

/** VALIDATION_FAILED for checks made outside a schema (arguments of pure functions). */
export function validationFailed(message: string, details: ErrorDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** Refuses an actor who may not touch the record (another agency's assessment, a unit outside its contracts). */
export function forbidden(message: string, path = '$', reason = message): DomainError {
  return new DomainError('FORBIDDEN', message, [{ path, reason }]);
}
