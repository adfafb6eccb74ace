import { DomainError, type ErrorDetail } from '@firegov/contracts';

// The domain's error type, parser and refinement switches are the platform's shared ones; the
// helpers below are this service's own ways of refusing.
export {
  ALWAYS_ON_ARRAYS,
  ALWAYS_ON_OBJECTS,
  DomainError,
  invalidTransition,
  jsonPath,
  parseInput,
  type DomainErrorCode,
  type ErrorDetail,
} from '@firegov/contracts';

/** VALIDATION_FAILED for checks made outside a schema (arguments of pure functions). */
export function validationFailed(message: string, details: ErrorDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** Refuses an actor who may not touch the record (another agency's assessment, a unit outside its contracts). */
export function forbidden(message: string, path = '$', reason = message): DomainError {
  return new DomainError('FORBIDDEN', message, [{ path, reason }]);
}
