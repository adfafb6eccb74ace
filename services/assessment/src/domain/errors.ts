import type { z } from 'zod';

// The domain's one error type and the parser that names every bad field, copied from the
// inspections service rather than shared: each service owns its domain, and the service layer maps
// these codes onto the platform's error shape `{ error: { code, message, details[] } }`.

export interface ErrorDetail {
  path: string;
  reason: string;
}

export type DomainErrorCode = 'INVALID_TRANSITION' | 'VALIDATION_FAILED' | 'FORBIDDEN';

/**
 * An expected refusal from pure domain logic. VALIDATION_FAILED: the input is malformed (details
 * name every bad field); INVALID_TRANSITION: the input is fine but the record's current state does
 * not allow it; FORBIDDEN: the caller (an agency) may not act on this record or unit.
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

/**
 * The same for array-level refinements (duplicate ids): zod skips them once any entry failed, which
 * would hide a duplicate behind an unrelated bad field. The refinement must tolerate entries of any shape.
 */
export const ALWAYS_ON_ARRAYS = {
  when: (payload: { value: unknown }): boolean => Array.isArray(payload.value),
};

/** A zod path as a JSON path: `$.findings[2].severity`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), '$');
}

/** Parses `input`, or throws VALIDATION_FAILED with one detail per issue so a caller fixes all fields in one round. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: jsonPath(issue.path), reason: issue.message }));
  throw new DomainError('VALIDATION_FAILED', `input is invalid: ${details.length} problem(s)`, details);
}

/** VALIDATION_FAILED for checks made outside a schema (arguments of pure functions). */
export function validationFailed(message: string, details: ErrorDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** Refuses a command the record's current status does not allow. */
export function invalidTransition(action: string, status: string, allowedFrom: readonly string[]): DomainError {
  return new DomainError('INVALID_TRANSITION', `cannot ${action} a record that is ${status}`, [
    { path: '$.status', reason: `is "${status}"; ${action} needs ${allowedFrom.map((s) => `"${s}"`).join(' or ')}` },
  ]);
}

/** Refuses an actor who may not touch the record (another agency's assessment, a unit outside its contracts). */
export function forbidden(message: string, path = '$', reason = message): DomainError {
  return new DomainError('FORBIDDEN', message, [{ path, reason }]);
}
