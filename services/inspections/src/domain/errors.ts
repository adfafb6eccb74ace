export interface ErrorDetail {
  path: string;
  reason: string;
}

export type DomainErrorCode = 'INVALID_TRANSITION' | 'VALIDATION_FAILED';

/**
 * An expected refusal from pure domain logic. VALIDATION_FAILED: the input is malformed (details
 * name every bad field); INVALID_TRANSITION: the input is fine but the record's current state does
 * not allow it. The service layer maps it onto the platform's error codes (service/errors.ts).
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: DomainErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

/**
 * For object-level refinements: run them even when a field already failed, so one answer names
 * every bad field (zod skips refinements after any failure by default). The refinement itself
 * must tolerate fields of the wrong type.
 */
export const ALWAYS_ON_OBJECTS = {
  when: (payload: { value: unknown }): boolean =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};
