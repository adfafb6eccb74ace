import { mobileSchema, textField } from '@firegov/contracts';
import type { z } from 'zod';
import { FireTeamKind } from './enums.ts';
import { array, bool, changesOneOf, int, object } from './fields.ts';
import { villageCodeSchema } from './jurisdictions.ts';

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

export const registerFireTeamSchema = object({
  jurisdictionCode: villageCodeSchema,
  kind: FireTeamKind.schema,
  name: textField(1, 100),
  members: array(teamMemberSchema, 500),
  equipment: array(equipmentSchema, 500),
  demo: bool().default(false),
});
export type RegisterFireTeamInput = z.output<typeof registerFireTeamSchema>;

/** A team's roster, equipment or name changed; lists are replaced whole (the kind and village stay). */
export const updateFireTeamSchema = object({
  name: textField(1, 100).optional(),
  members: array(teamMemberSchema, 500).optional(),
  equipment: array(equipmentSchema, 500).optional(),
  expectedVersion: int(1, 1_000_000).optional(),
}).superRefine(changesOneOf(['name', 'members', 'equipment']));
export type UpdateFireTeamInput = z.output<typeof updateFireTeamSchema>;
