import { mobileSchema, residentIdSchema, textField } from '@firegov/contracts';
import type { z } from 'zod';
import { PreventionDevice, Vulnerability } from './enums.ts';
import { array, bool, changesOneOf, contactSchema, int, isoDateSchema, object } from './fields.ts';
import { checkGridInVillage, gridCodeSchema, villageCodeSchema } from './jurisdictions.ts';

const householdMemberSchema = object({
  name: textField(1, 50),
  idNumber: residentIdSchema.optional(),
  phone: mobileSchema.optional(),
  vulnerabilities: array(Vulnerability.schema, Vulnerability.values.length)
    .min(1, 'must list at least one vulnerability')
    .superRefine((list, ctx) => {
      if (new Set(list).size !== list.length) ctx.addIssue({ code: 'custom', message: 'lists the same vulnerability twice' });
    }),
});

const deviceSchema = object({
  kind: PreventionDevice.schema,
  count: int(1, 50),
  installedOn: isoDateSchema,
});

// A household registered here is one the village looks after: 空巢老人, 留守儿童 or 老弱病残.
export const registerHouseholdSchema = object({
  jurisdictionCode: villageCodeSchema,
  gridCode: gridCodeSchema.optional(),
  address: textField(1, 200),
  members: array(householdMemberSchema, 30).min(1, 'must list at least one member'),
  devices: array(deviceSchema, 50),
  helper: contactSchema.optional(), // 一对一帮扶
  demo: bool().default(false),
}).superRefine(checkGridInVillage);
export type RegisterHouseholdInput = z.output<typeof registerHouseholdSchema>;

/**
 * A change to a household the village looks after: members come and go, devices are fitted, the
 * helper changes. Lists are replaced whole. `expectedVersion` guards against a lost update.
 */
export const updateHouseholdSchema = object({
  address: textField(1, 200).optional(),
  members: array(householdMemberSchema, 30).min(1, 'must list at least one member').optional(),
  devices: array(deviceSchema, 50).optional(),
  helper: contactSchema.optional(),
  expectedVersion: int(1, 1_000_000).optional(),
}).superRefine(changesOneOf(['address', 'members', 'devices', 'helper']));
export type UpdateHouseholdInput = z.output<typeof updateHouseholdSchema>;
