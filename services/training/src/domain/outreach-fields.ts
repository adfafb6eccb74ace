import { divisionLevel, idSchema, mobileSchema, stringFirst, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';

// Field schemas the outreach aggregates share (publicity, visits, surveys, volunteers, drills,
// team training). Messages name what is wrong; parseInput prefixes the field's JSON path.

export const isoDateField = z
  .string({ error: typeError('a date string') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March; a calendar date survives the round trip.
    return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
  }, 'is not a calendar date');

export const villageCodeField = z
  .string({ error: typeError('a 12-digit village code') })
  .trim()
  .refine((code) => /^\d{12}$/.test(code) && divisionLevel(code) === 'village', 'must be a 12-digit village (村/社区) code');

export const countField = (max: number) =>
  z
    .number({ error: typeError('a whole number') })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(max, `must be at most ${max}`);

export const strictObject = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: typeError('an object', { namesUnknownKeys: true }) });

export const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item, { error: typeError('a list') }).max(max, `must list at most ${max} entries`);

/** A person named inline (visitor, volunteer, organiser) or by the id of a person record elsewhere. */
export const personRefField = strictObject({
  name: textField(1, 50),
  phone: stringFirst(mobileSchema).optional(),
  personId: idSchema.optional(),
});
export type PersonRef = z.output<typeof personRefField>;

/** A period of whole days, both ends included. */
export const periodField = strictObject({ from: isoDateField, to: isoDateField }).refine((p) => p.from <= p.to, {
  message: 'must not end before it starts',
  path: ['to'],
});
export type Period = z.output<typeof periodField>;

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The calendar date in China (UTC+8) of an instant: outreach dates are local days. */
export const localDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
