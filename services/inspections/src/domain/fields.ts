import { z } from 'zod';
import { DomainError, typeError } from '@firegov/contracts';

// Field schemas and checks every input of this service shares (inspections, campaigns, hazards,
// reports, cases). Messages say what is wrong with the value, because the callers (village apps,
// department systems, the public) cannot read our code.

/** The actor's name, trimmed; transitions record who acted, so a blank one is refused. */
export function requireActor(actor: string): string {
  const name = actor.trim();
  if (name === '')
    throw new DomainError('VALIDATION_FAILED', 'the actor is missing', [{ path: '$.actor', reason: 'must name who acted' }]);
  return name;
}

/** An instant with its offset, e.g. 2023-05-01T09:30:00+08:00; the offset keeps Beijing and UTC times apart. */
export const isoDateTimeSchema = z.iso.datetime({
  offset: true,
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : 'must be an ISO 8601 date-time with seconds and an offset, e.g. 2023-05-01T09:30:00+08:00',
});

/** Milliseconds of a well-formed ISO date-time; undefined for anything else, which its field has reported. */
/** A calendar day written YYYY-MM-DD (campaign periods, delegation periods: Beijing days). */
export const calendarDateSchema = z.iso.date({
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a real calendar date written YYYY-MM-DD'),
});

/** A list refinement: each entry at most once, the repeat named at its index. */
export function listedOnce(list: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  list.forEach((value, index) => {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [index], message: `"${value}" is listed twice` });
    seen.add(value);
  });
}

export function instantOf(value: unknown): number | undefined {
  return isoDateTimeSchema.safeParse(value).success ? Date.parse(value as string) : undefined;
}

/** A photo, video or document kept elsewhere; the hash pins the exact file, so a later swap is detectable. */
export const evidenceSchema = z.strictObject(
  {
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).max(2000, 'must be at most 2000 characters'),
    // Lowercased before the check so clients printing upper-case hex are accepted and stored one way.
    sha256: z
      .string({ error: typeError('a string') })
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal characters'),
  },
  { error: typeError('an object') },
);
export type Evidence = z.output<typeof evidenceSchema>;

export const CAMPAIGN_KEY = /^[a-z][a-z0-9_]{2,40}$/;
export const ITEM_CODE = /^[A-Za-z0-9_.-]{1,40}$/;

export const campaignKeySchema = z
  .string({ error: typeError('a string') })
  .regex(CAMPAIGN_KEY, 'must be a campaign key: a lowercase letter, then 2-40 lowercase letters, digits or "_"');

export const itemCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .regex(ITEM_CODE, 'must be a checklist item code of 1-40 letters, digits, "_", "." or "-"');

// Factor codes are only hints for the grader (GB 35181); their catalogue lives with the grading.
export const factorCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,30}$/, 'must be a factor code of 1-30 letters, digits, "_", "." or "-"');

/** One of a fixed list of values, worded like the platform's enums (`defineEnum`). */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const expected = values.join(', ');
  return z.enum(values, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `"${issue.input}" is not a known value; expected one of: ${expected}`
        : typeError('a string')(issue),
  });
}
