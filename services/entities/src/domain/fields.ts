import { mobileSchema, residentIdSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';

// Field schemas every registry aggregate shares. Inputs come from outside parties who cannot read
// our code, so every message says what is wrong with the value (zod's defaults such as "Invalid
// input" do not). Exported input types are the parsed commands (defaults filled in), which is what
// the service stores.

export function num(min: number, max: number) {
  return z
    .number({ error: typeError('a number') })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export function int(min: number, max: number) {
  return num(min, max).int('must be a whole number');
}

export function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: typeError('an object') });
}

export function array<T extends z.core.SomeType>(item: T, max: number) {
  return z.array(item, { error: typeError('an array') }).max(max, `must have at most ${max} entries`);
}

export const bool = () => z.boolean({ error: typeError('true or false') });

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why `value` is not a real calendar date written YYYY-MM-DD, or undefined when it is one. */
export function checkIsoDate(value: string): string | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return `"${value}" is not a date written YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not remap years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return `${value} is not a real calendar date`;
  }
  return undefined;
}

export const isoDateSchema = z
  .string({ error: typeError('a date YYYY-MM-DD') })
  .trim()
  .superRefine((value, ctx) => {
    const reason = checkIsoDate(value);
    if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
  });

export const personSchema = object({
  name: textField(1, 50),
  phone: mobileSchema,
  idNumber: residentIdSchema.optional(),
});
export type Person = z.output<typeof personSchema>;

// A contact without an ID number: helpers, team members and grid managers are reached, not identified.
export const contactSchema = object({
  name: textField(1, 50),
  phone: mobileSchema,
});

/**
 * An update's refinement: at least one of `fields` is given (an update of nothing, or of the
 * version alone, is refused rather than bumping the version for no change).
 */
export function changesOneOf(fields: readonly string[]) {
  return (patch: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (fields.every((f) => patch[f] === undefined)) {
      ctx.addIssue({ code: 'custom', message: `must change at least one of ${fields.join(', ')}` });
    }
  };
}
