import { mobileSchema, textField } from '@firegov/contracts';
import type { z } from 'zod';
import { FireTeamKind, MicroStationType, RescueSpeciality, TownshipTeamClass } from './enums.ts';
import { array, bool, changesOneOf, int, object } from './fields.ts';
import { villageCodeSchema } from './jurisdictions.ts';
import { callOutSchema, dutyRosterSchema } from './team-standards.ts';

// Village fire forces: 专/兼职消防队 and 微型消防站 (their readiness rule: readiness.ts).

const teamMemberSchema = object({
  name: textField(1, 50),
  phone: mobileSchema,
  role: textField(1, 30).optional(),
});

const equipmentSchema = object({
  item: textField(1, 50),
  quantity: int(1, 100_000),
});

// What only some kinds carry: a micro station's type, a township team's class, a specialist force's
// speciality and capabilities; any team may keep a duty roster (值班表).
const kindFields = {
  stationType: MicroStationType.schema.optional(),
  townshipClass: TownshipTeamClass.schema.optional(),
  speciality: RescueSpeciality.schema.optional(),
  capabilities: array(textField(1, 100), 50).optional(),
  dutyRoster: dutyRosterSchema.optional(),
};

/** The kind-only fields belong to their kind, and a specialist force names its speciality. */
export function kindFieldsFit(v: {
  kind?: string;
  stationType?: unknown;
  townshipClass?: unknown;
  speciality?: unknown;
}): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  if (v.kind === undefined) return issues;
  const only: Array<['stationType' | 'townshipClass' | 'speciality', string]> = [
    ['stationType', 'micro_station'],
    ['townshipClass', 'full_time'],
    ['speciality', 'specialist_rescue'],
  ];
  for (const [field, kind] of only)
    if (v[field] !== undefined && v.kind !== kind) issues.push({ path: field, message: `only for a ${kind} team` });
  if (v.kind === 'specialist_rescue' && v.speciality === undefined)
    issues.push({ path: 'speciality', message: 'a specialist rescue force names its speciality' });
  return issues;
}

export const registerFireTeamSchema = object({
  jurisdictionCode: villageCodeSchema,
  kind: FireTeamKind.schema,
  name: textField(1, 100),
  members: array(teamMemberSchema, 500),
  equipment: array(equipmentSchema, 500),
  ...kindFields,
  demo: bool().default(false),
}).superRefine((v, ctx) => {
  for (const issue of kindFieldsFit(v)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
});
export type RegisterFireTeamInput = z.output<typeof registerFireTeamSchema>;

/** A team's roster, equipment or name changed; lists are replaced whole (the kind and village stay). */
export const updateFireTeamSchema = object({
  name: textField(1, 100).optional(),
  members: array(teamMemberSchema, 500).optional(),
  equipment: array(equipmentSchema, 500).optional(),
  ...kindFields,
  expectedVersion: int(1, 1_000_000).optional(),
}).superRefine(
  changesOneOf(['name', 'members', 'equipment', 'stationType', 'townshipClass', 'speciality', 'capabilities', 'dutyRoster']),
);

/** A call-out of the team (出动), for the three-minute arrival check. */
export const recordCallOutSchema = callOutSchema;
export type UpdateFireTeamInput = z.output<typeof updateFireTeamSchema>;
