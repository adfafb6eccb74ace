import { z } from 'zod';

// What every service's pure domain logic shares for refusing input: one error type with stable
// codes, a parser that names every bad field with its JSON path, and field schemas whose messages
// say what is wrong with the value. The service layer maps the codes onto the platform's errors
// (`fromDomain` in @firegov/kit).

export interface ErrorDetail {
  path: string;
  reason: string;
}

export type DomainErrorCode = 'INVALID_TRANSITION' | 'VALIDATION_FAILED' | 'FORBIDDEN';

/**
 * An expected refusal. VALIDATION_FAILED: the input is malformed (details name every bad field);
 * INVALID_TRANSITION: the input is fine but the record's current state does not allow it;
 * FORBIDDEN: the caller may not act on this record.
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

/**
 * A refinement for lists whose entries must differ in `field` (ids, licence numbers): one issue at
 * `[i, field]` for each entry that repeats an earlier one. Use with ALWAYS_ON_ARRAYS; entries may
 * be of any shape, and only string and number values are compared.
 */
export function checkUnique(field: string, label: string) {
  return (items: ReadonlyArray<unknown>, ctx: z.RefinementCtx): void => {
    const seen = new Set<string | number>();
    items.forEach((item, index) => {
      const value: unknown = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[field] : undefined;
      if (typeof value !== 'string' && typeof value !== 'number') return;
      if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [index, field], message: `${label} "${value}" is used twice` });
      seen.add(value);
    });
  };
}

/** A zod path as a JSON path: `$.findings[2].severity` (`root` names a variable instead of `$`). */
export function jsonPath(path: ReadonlyArray<PropertyKey>, root = '$'): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`), root);
}

/** Parses `input`, or throws VALIDATION_FAILED with one detail per issue so a caller fixes all fields in one round. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: jsonPath(issue.path), reason: issue.message }));
  throw new DomainError('VALIDATION_FAILED', `input is invalid: ${details.length} problem(s)`, details);
}

/** VALIDATION_FAILED for checks made outside a schema (arguments of pure functions). */
export function invalidInput(message: string, details: ErrorDetail[]): DomainError {
  return new DomainError('VALIDATION_FAILED', message, details);
}

/** FORBIDDEN: the actor may not touch the record (another agency's assessment, a unit outside its contracts). */
export function notPermitted(message: string, path = '$', reason = message): DomainError {
  return new DomainError('FORBIDDEN', message, [{ path, reason }]);
}

/** Refuses a command the record's current status does not allow. */
export function invalidTransition(action: string, status: string, allowedFrom: readonly string[]): DomainError {
  return new DomainError('INVALID_TRANSITION', `cannot ${action} a record that is ${status}`, [
    { path: '$.status', reason: `is "${status}"; ${action} needs ${allowedFrom.map((s) => `"${s}"`).join(' or ')}` },
  ]);
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}

/**
 * Error map for a wrong type: "is required" when absent, otherwise what was expected and what came.
 * With `namesUnknownKeys`, it also words the unknown keys a strict object refuses (else zod's own
 * "Unrecognized key" message stands).
 */
export function typeError(expected: string, opts: { namesUnknownKeys?: boolean } = {}) {
  return (issue: { code?: string; input?: unknown; keys?: string[] }): string | undefined => {
    if (opts.namesUnknownKeys && issue.code === 'unrecognized_keys' && issue.keys !== undefined) {
      return `has unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}: check the spelling`;
    }
    if (issue.code !== undefined && issue.code !== 'invalid_type') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}, got ${describe(issue.input)}`;
  };
}

/** Puts our type message in front of a shared string schema (ids, credit codes) whose own says "Invalid input". */
export function stringFirst<T extends z.ZodType<unknown, string>>(schema: T) {
  return z.string({ error: typeError('a string') }).pipe(schema);
}

/** Trimmed text; lengths count UTF-16 units, which is one per character for Chinese text. */
export function textField(min: number, max: number) {
  return z
    .string({ error: typeError('a string') })
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);
}

/** Ids of this and other services (`u_…`, `hz_…`, `ag_…`): opaque, but bounded and URL-safe. */
export const idSchema = z
  .string({ error: typeError('an id string') })
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id of 1-64 letters, digits, "_" or "-"');
