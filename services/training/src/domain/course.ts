import { DomainError, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';

// Pure rules of the course aggregate: its input, and what a new one looks like. No I/O here.

export const registerCourseInput = z.strictObject(
  {
    unitId: idSchema,
    name: textField(1, 100),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type RegisterCourseInput = z.output<typeof registerCourseInput>;

export interface Course {
  _id: string;
  version: number;
  unitId: string;
  name: string;
  /** The unit's jurisdiction codes, county to village (and grid): what scoped reads filter on. */
  scope: string[];
  createdAt: string;
  createdBy: string;
}

/** A new course of a registered, active unit. */
export function newCourse(
  input: RegisterCourseInput,
  unit: { status: string; scope: string[] } | null,
  meta: { id: string; now: Date; actor: string },
): Course {
  if (!unit || unit.status !== 'active') {
    throw new DomainError('VALIDATION_FAILED', 'the unit is not an active registered unit', [
      { path: '$.unitId', reason: 'is not an active unit of the registry' },
    ]);
  }
  return {
    _id: meta.id,
    version: 1,
    unitId: input.unitId,
    name: input.name,
    scope: unit.scope,
    createdAt: meta.now.toISOString(),
    createdBy: meta.actor,
  };
}
