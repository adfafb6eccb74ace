import { z } from 'zod';
import {
  checkDivisionCode,
  creditCodeSchema,
  divisionCodeSchema,
  divisionLevel,
  divisionParent,
  JurisdictionLevel,
  mobileSchema,
  residentIdSchema,
  UnitCategory,
} from '@firegov/contracts';
import type { DivisionLevel } from '@firegov/contracts';
import { BuildingUse, CommitmentStatus, FireTeamKind, ListItemStatus, PreventionDevice, Vulnerability } from './enums.ts';

// Exported types are the parsed commands (defaults filled in), which is what the service stores.
// Inputs come from outside parties who cannot read our code, so every message says what is wrong
// with the value (zod's defaults such as "Invalid input" do not).

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}

function typeError(expected: string) {
  return (issue: { code?: string; input?: unknown }): string | undefined => {
    if (issue.code !== undefined && issue.code !== 'invalid_type') return undefined;
    return issue.input === undefined ? 'is required' : `must be ${expected}, got ${describe(issue.input)}`;
  };
}

function text(min: number, max: number) {
  return z
    .string({ error: typeError('a string') })
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);
}

function num(min: number, max: number) {
  return z
    .number({ error: typeError('a number') })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

function int(min: number, max: number) {
  return num(min, max).int('must be a whole number');
}

function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: typeError('an object') });
}

function array<T extends z.core.SomeType>(item: T, max: number) {
  return z.array(item, { error: typeError('an array') }).max(max, `must have at most ${max} entries`);
}

const bool = () => z.boolean({ error: typeError('true or false') });

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

export const GRID_CODE = /^\d{12}-G\d{2}$/;

export const gridCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .regex(GRID_CODE, 'must be a grid code: a 12-digit village code, "-G" and two digits, e.g. 500230213201-G01');

export const villageCodeSchema = divisionCodeSchema.refine(
  (code) => divisionLevel(code) === 'village',
  'must be a village or community code (level village)',
);

// A grid is part of one village, so its code carries that village's code as a prefix.
function checkGridInVillage(value: { jurisdictionCode?: string | null; gridCode?: string | null }, ctx: z.RefinementCtx): void {
  const { jurisdictionCode, gridCode } = value;
  // Object-level checks also run when a field failed; a malformed code has been reported already.
  if (typeof gridCode !== 'string' || typeof jurisdictionCode !== 'string' || !GRID_CODE.test(gridCode)) return;
  if (!gridCode.startsWith(`${jurisdictionCode}-`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['gridCode'],
      message: `grid ${gridCode} is not in village ${jurisdictionCode}; its code must start with "${jurisdictionCode}-"`,
    });
  }
}

function checkUniqueIds(items: ReadonlyArray<{ id: string }>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `id "${item.id}" is used twice in this list` });
    seen.add(item.id);
  });
}

export const personSchema = object({
  name: text(1, 50),
  phone: mobileSchema,
  idNumber: residentIdSchema.optional(),
});
export type Person = z.output<typeof personSchema>;

// A contact without an ID number: helpers, team members and grid managers are reached, not identified.
const contactSchema = object({
  name: text(1, 50),
  phone: mobileSchema,
});

// Mainland China's extreme latitudes and longitudes; a point outside is a swapped or mistyped pair.
const locationSchema = object({
  lat: num(3.8, 53.6),
  lng: num(73.5, 135.1),
});

// 火灾公众责任保险
const insuranceSchema = object({
  insurer: text(1, 100),
  policyNo: text(1, 50),
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
  name: text(1, 100),
  creditCode: creditCodeSchema,
  category: UnitCategory.schema,
  jurisdictionCode: villageCodeSchema,
  gridCode: gridCodeSchema,
  address: text(1, 200),
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
  supervisingDepartment: text(1, 50),
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

const householdMemberSchema = object({
  name: text(1, 50),
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
  address: text(1, 200),
  members: array(householdMemberSchema, 30).min(1, 'must list at least one member'),
  devices: array(deviceSchema, 50),
  helper: contactSchema.optional(), // 一对一帮扶
  demo: bool().default(false),
}).superRefine(checkGridInVillage);
export type RegisterHouseholdInput = z.output<typeof registerHouseholdSchema>;

const teamMemberSchema = object({
  name: text(1, 50),
  phone: mobileSchema,
  role: text(1, 30).optional(),
});

const equipmentSchema = object({
  item: text(1, 50),
  quantity: int(1, 100_000),
});

export const registerFireTeamSchema = object({
  jurisdictionCode: villageCodeSchema,
  kind: FireTeamKind.schema,
  name: text(1, 100),
  members: array(teamMemberSchema, 500),
  equipment: array(equipmentSchema, 500),
  demo: bool().default(false),
});
export type RegisterFireTeamInput = z.output<typeof registerFireTeamSchema>;

// One entry of a 责任清单 (standing responsibility) or 任务清单 (task with a deadline).
export const listItemSchema = object({
  id: z.string({ error: typeError('a string') }).regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "_" or "-"'),
  title: text(1, 200),
  owner: text(1, 50),
  deadline: isoDateSchema.optional(),
  status: ListItemStatus.schema.default('pending'),
});
export type ListItem = z.output<typeof listItemSchema>;

export const departmentCodeSchema = z
  .string({ error: typeError('a string') })
  .regex(/^[a-z][a-z0-9_-]{1,30}$/, 'must be 2-31 characters: a lowercase letter, then lowercase letters, digits, "_" or "-"');

export const registerDepartmentSchema = object({
  code: departmentCodeSchema,
  name: text(1, 50),
  jurisdictionCode: divisionCodeSchema,
  responsibilities: array(listItemSchema, 200).superRefine(checkUniqueIds), // 责任清单
  tasks: array(listItemSchema, 500).superRefine(checkUniqueIds), // 任务清单
  demo: bool().default(false),
});
export type RegisterDepartmentInput = z.output<typeof registerDepartmentSchema>;

function checkJurisdictionCode(code: string): string | undefined {
  const checked = checkDivisionCode(GRID_CODE.test(code) ? code.slice(0, 12) : code);
  return checked.ok ? undefined : `must be a 12-digit division code or a grid code such as 500230213201-G01: ${checked.reason}`;
}

export const jurisdictionCodeSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .superRefine((code, ctx) => {
    const reason = checkJurisdictionCode(code);
    if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
  });

/** 'grid' for a grid code, the division level for a 12-digit code, undefined when neither. */
export function jurisdictionCodeLevel(code: string): DivisionLevel | 'grid' | undefined {
  if (GRID_CODE.test(code)) return divisionLevel(code.slice(0, 12)) === 'village' ? 'grid' : undefined;
  return divisionLevel(code);
}

/** The code of the jurisdiction directly above: a grid's village, or the enclosing division. */
export function jurisdictionParentCode(code: string): string | undefined {
  if (GRID_CODE.test(code)) return code.slice(0, 12);
  return divisionParent(code);
}

export const registerJurisdictionSchema = object({
  code: jurisdictionCodeSchema,
  name: text(1, 50),
  level: JurisdictionLevel.schema,
  parentCode: jurisdictionCodeSchema.optional(),
  gridManagers: array(contactSchema, 20).optional(), // 网格员
  demo: bool().default(false),
}).superRefine((value, ctx) => {
  const { code, level, parentCode } = value;
  // Object-level checks also run when a field failed; a malformed code has been reported already.
  if (checkJurisdictionCode(code) !== undefined) return;
  const actual = jurisdictionCodeLevel(code);
  if (actual === undefined) {
    ctx.addIssue({ code: 'custom', path: ['code'], message: `grid code ${code} must start with a village or community code` });
    return;
  }
  if (actual === 'province' || actual === 'city') {
    ctx.addIssue({
      code: 'custom',
      path: ['code'],
      message: `${code} is a ${actual} code; jurisdictions are counties, townships, villages and grids`,
    });
    return;
  }
  if (actual !== level) {
    ctx.addIssue({ code: 'custom', path: ['level'], message: `is "${level}" but ${code} is a ${actual} code` });
  }
  const expectedParent = jurisdictionParentCode(code);
  if (parentCode === undefined) {
    if (actual !== 'county') {
      ctx.addIssue({ code: 'custom', path: ['parentCode'], message: `is required for a ${actual}; expected ${expectedParent}` });
    }
  } else if (checkJurisdictionCode(parentCode) === undefined && parentCode !== expectedParent) {
    ctx.addIssue({
      code: 'custom',
      path: ['parentCode'],
      message: `is ${parentCode} but ${code} lies directly under ${expectedParent}`,
    });
  }
  if (value.gridManagers !== undefined && actual !== 'grid') {
    ctx.addIssue({
      code: 'custom',
      path: ['gridManagers'],
      message: `only grids have grid managers (网格员), and ${code} is a ${actual}`,
    });
  }
});
export type RegisterJurisdictionInput = z.output<typeof registerJurisdictionSchema>;

/** Command: set the status of one item of a department's 责任清单 (responsibilities) or 任务清单 (tasks). */
export const setListItemStatusSchema = z
  .object({
    departmentCode: departmentCodeSchema,
    list: z.enum(['responsibilities', 'tasks']),
    itemId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 characters of A-Z a-z 0-9 _ -'),
    status: ListItemStatus.schema,
  })
  .strict();
export type SetListItemStatusInput = z.output<typeof setListItemStatusSchema>;
