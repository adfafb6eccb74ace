// The domain's error type and refinement switches are the platform's shared ones.
export { ALWAYS_ON_OBJECTS, DomainError, type DomainErrorCode, type ErrorDetail } from '@firegov/contracts';
