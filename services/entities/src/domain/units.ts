import { creditCodeSchema, textField, typeError, UnitCategory } from '@firegov/contracts';
import { z } from 'zod';
import { BuildingUse, CommitmentStatus } from './enums.ts';
import { bool, int, isoDateSchema, num, object, personSchema } from './fields.ts';
import { checkGridInVillage, gridCodeSchema, villageCodeSchema } from './jurisdictions.ts';

// Commands on units and premises (社会单位/场所).

// Mainland China's extreme latitudes and longitudes; a point outside is a swapped or mistyped pair.
const locationSchema = object({
  lat: num(3.8, 53.6),
  lng: num(73.5, 135.1),
});

// 火灾公众责任保险
const insuranceSchema = object({
  insurer: textField(1, 100),
  policyNo: textField(1, 50),
  validUntil: isoDateSchema,
});

// 公示承诺
const commitmentSchema = object({
  status: CommitmentStatus.schema,
  date: isoDateSchema.optional(),
});

// Field schemas without optionality or defaults: registration and update add those differently,
// because a default applied to an update would overwrite a stored value the caller never sent.
const unitFields = {
  name: textField(1, 100),
  creditCode: creditCodeSchema,
  category: UnitCategory.schema,
  jurisdictionCode: villageCodeSchema,
  gridCode: gridCodeSchema,
  address: textField(1, 200),
  location: locationSchema,
  buildingUse: BuildingUse.schema,
  // Above-ground storeys; basements are counted in undergroundFloors.
  floors: int(0, 200),
  undergroundFloors: int(0, 20),
  heightM: num(0, 700),
  areaM2: z.number({ error: typeError('a number') }).positive('must be greater than 0'),
  // People normally present, which sets the evacuation load.
  occupancy: int(0, 100_000),
  responsiblePerson: personSchema, // 责任人
  manager: personSchema, // 管理人
  supervisingDepartment: textField(1, 50),
  keyUnit: bool(), // 消防安全重点单位
  insurance: insuranceSchema,
  publicCommitment: commitmentSchema,
  demo: bool(),
};

export const registerUnitSchema = object({
  ...unitFields,
  creditCode: unitFields.creditCode.optional(),
  gridCode: unitFields.gridCode.optional(),
  location: unitFields.location.optional(),
  undergroundFloors: unitFields.undergroundFloors.default(0),
  areaM2: unitFields.areaM2.optional(),
  manager: unitFields.manager.optional(),
  supervisingDepartment: unitFields.supervisingDepartment.optional(),
  keyUnit: unitFields.keyUnit.default(false),
  insurance: unitFields.insurance.optional(),
  publicCommitment: unitFields.publicCommitment.default({ status: 'none' }),
  demo: unitFields.demo.default(false),
}).superRefine(checkGridInVillage);
export type RegisterUnitInput = z.output<typeof registerUnitSchema>;

// null clears a field that registration leaves optional (a lapsed policy, a manager who left).
export const updateUnitSchema = object({
  name: unitFields.name.optional(),
  creditCode: unitFields.creditCode.nullable().optional(),
  category: unitFields.category.optional(),
  jurisdictionCode: unitFields.jurisdictionCode.optional(),
  gridCode: unitFields.gridCode.nullable().optional(),
  address: unitFields.address.optional(),
  location: unitFields.location.nullable().optional(),
  buildingUse: unitFields.buildingUse.optional(),
  floors: unitFields.floors.optional(),
  undergroundFloors: unitFields.undergroundFloors.optional(),
  heightM: unitFields.heightM.optional(),
  areaM2: unitFields.areaM2.nullable().optional(),
  occupancy: unitFields.occupancy.optional(),
  responsiblePerson: unitFields.responsiblePerson.optional(),
  manager: unitFields.manager.nullable().optional(),
  supervisingDepartment: unitFields.supervisingDepartment.nullable().optional(),
  keyUnit: unitFields.keyUnit.optional(),
  insurance: unitFields.insurance.nullable().optional(),
  publicCommitment: unitFields.publicCommitment.optional(),
  demo: unitFields.demo.optional(),
  // Optimistic concurrency: the update is refused when the stored unit has moved on.
  expectedVersion: int(1, Number.MAX_SAFE_INTEGER).optional(),
}).superRefine((value, ctx) => {
  const changed = Object.entries(value).some(([key, field]) => key !== 'expectedVersion' && field !== undefined);
  if (!changed) ctx.addIssue({ code: 'custom', message: 'nothing to update' });
  // Only checkable when both arrive; a lone gridCode is checked against the stored village by the service.
  checkGridInVillage(value, ctx);
});
export type UpdateUnitInput = z.output<typeof updateUnitSchema>;
