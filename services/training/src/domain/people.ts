import {
  defineEnum,
  divisionCodeSchema,
  idSchema,
  invalidInput,
  maskMobile,
  maskResidentId,
  mobileSchema,
  residentIdSchema,
  stringFirst,
  textField,
  typeError,
} from '@firegov/contracts';
import { z } from 'zod';

// Pure rules of the people registry (培训对象): who must be trained, in which role, where. No I/O here.

/** The roles required training is about; keys are stored and travel in events, labels may change. */
export const TrainingRole = defineEnum({
  responsible_person: { zh: '消防安全责任人', en: 'Person responsible for fire safety' },
  safety_manager: { zh: '消防安全管理人', en: 'Fire safety manager' },
  fire_officer: { zh: '专兼职消防管理人员', en: 'Full- or part-time fire-safety staff' },
  control_room_operator: { zh: '消防控制室值班员', en: 'Fire control room operator' },
  micro_station_member: { zh: '微型消防站队员', en: 'Micro fire station member' },
  grid_manager: { zh: '网格员', en: 'Grid manager' },
  village_team_member: { zh: '村志愿消防队员', en: 'Village volunteer fire team member' },
});
export type TrainingRole = (typeof TrainingRole.values)[number];

// Roles held at premises need the unit; roles held in a village need the village. A micro station
// may belong to a unit (重点单位微型消防站) or a community (社区微型消防站).
const UNIT_ROLES: ReadonlySet<TrainingRole> = new Set<TrainingRole>([
  'responsible_person',
  'safety_manager',
  'fire_officer',
  'control_room_operator',
]);
const VILLAGE_ROLES: ReadonlySet<TrainingRole> = new Set<TrainingRole>(['grid_manager', 'village_team_member']);

/** A key unit must name these two; a missing one counts as untrained in its coverage. */
export const KEY_UNIT_ROLES: readonly TrainingRole[] = ['responsible_person', 'safety_manager'];

const assignmentInput = z
  .strictObject(
    {
      role: TrainingRole.schema,
      unitId: idSchema.optional(),
      villageCode: stringFirst(divisionCodeSchema).optional(),
    },
    { error: typeError('an object', { namesUnknownKeys: true }) },
  )
  .superRefine((a, ctx) => {
    if (a.unitId !== undefined && a.villageCode !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['villageCode'], message: 'give either unitId or villageCode, not both' });
    } else if (UNIT_ROLES.has(a.role) && a.unitId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unitId'], message: `is required for role ${a.role}` });
    } else if (VILLAGE_ROLES.has(a.role) && a.villageCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['villageCode'], message: `is required for role ${a.role}` });
    } else if (a.unitId === undefined && a.villageCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'give the unit or the village (villageCode)' });
    }
  });

export const registerPersonInput = z.strictObject(
  {
    name: textField(1, 50),
    phone: stringFirst(mobileSchema),
    residentId: stringFirst(residentIdSchema).optional(),
    email: z.email({ error: 'must be an e-mail address' }).max(200, 'must be at most 200 characters').optional(),
    /** The person's account name on the national learning platform (xAPI actor.account.name). */
    platformAccount: textField(1, 100).optional(),
    assignments: z
      .array(assignmentInput, { error: typeError('an array') })
      .min(1, 'must name at least one role')
      .max(20, 'must have at most 20 entries'),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type RegisterPersonInput = z.output<typeof registerPersonInput>;
export type AssignmentInput = RegisterPersonInput['assignments'][number];

export interface Assignment {
  role: TrainingRole;
  unitId?: string;
  villageCode?: string;
  /** Jurisdiction codes of the unit or village, county down: never the caller's. */
  scope: string[];
}

export interface Person {
  _id: string;
  version: number;
  name: string;
  phone: string;
  residentId?: string;
  email?: string;
  platformAccount?: string;
  assignments: Assignment[];
  /** Union of the assignments' scopes: what scoped reads filter on. */
  scope: string[];
  /** The units named by the assignments (indexed: a unit's people in one read). */
  unitIds: string[];
  villageCodes: string[];
  createdAt: string;
  createdBy: string;
  demo: boolean;
}

type PlaceOf = (a: AssignmentInput) => string[] | null;

/** Each assignment with its scope, or every unknown place named by its path. */
function placed(inputs: readonly AssignmentInput[], placeOf: PlaceOf, existing: readonly Assignment[] = []): Assignment[] {
  const assignments: Assignment[] = [];
  const problems: Array<{ path: string; reason: string }> = [];
  inputs.forEach((a, i) => {
    const scope = placeOf(a);
    if (scope === null) {
      problems.push(
        a.unitId !== undefined
          ? { path: `$.assignments[${i}].unitId`, reason: 'is not an active unit of the registry in your jurisdiction' }
          : { path: `$.assignments[${i}].villageCode`, reason: 'is not a village in your jurisdiction' },
      );
      return;
    }
    assignments.push({
      role: a.role,
      ...(a.unitId ? { unitId: a.unitId } : {}),
      ...(a.villageCode ? { villageCode: a.villageCode } : {}),
      scope,
    });
  });
  if (problems.length) throw invalidInput('the assignments are invalid', problems);
  const all = [...existing, ...assignments];
  const unique = new Set(all.map((a) => `${a.role}|${a.unitId ?? ''}|${a.villageCode ?? ''}`));
  if (unique.size !== all.length) {
    throw invalidInput('the assignments are invalid', [
      { path: '$.assignments', reason: 'names the same role at the same place twice' },
    ]);
  }
  return all;
}

/** The fields every scoped read and index is built from, derived from the assignments. */
function derived(assignments: Assignment[]): Pick<Person, 'assignments' | 'scope' | 'unitIds' | 'villageCodes'> {
  return {
    assignments,
    scope: [...new Set(assignments.flatMap((a) => a.scope))],
    unitIds: [...new Set(assignments.flatMap((a) => (a.unitId ? [a.unitId] : [])))],
    villageCodes: [...new Set(assignments.flatMap((a) => (a.villageCode ? [a.villageCode] : [])))],
  };
}

/** A new person; `placeOf` gives each assignment's scope (from the registry), or null when unknown. */
export function newPerson(
  input: RegisterPersonInput,
  placeOf: PlaceOf,
  meta: { id: string; now: Date; actor: string; demo?: boolean },
): Person {
  return {
    _id: meta.id,
    version: 1,
    name: input.name,
    phone: input.phone,
    ...(input.residentId ? { residentId: input.residentId } : {}),
    ...(input.email ? { email: input.email.toLowerCase() } : {}),
    ...(input.platformAccount ? { platformAccount: input.platformAccount } : {}),
    ...derived(placed(input.assignments, placeOf)),
    createdAt: meta.now.toISOString(),
    createdBy: meta.actor,
    demo: meta.demo ?? false,
  };
}

export const assignRolesInput = z.strictObject(
  { personId: idSchema, assignments: registerPersonInput.shape.assignments },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type AssignRolesInput = z.output<typeof assignRolesInput>;

/** The person with more roles (a person is registered once, with every role they hold). */
export function withAssignments(person: Person, inputs: readonly AssignmentInput[], placeOf: PlaceOf): Person {
  return { ...person, version: person.version + 1, ...derived(placed(inputs, placeOf, person.assignments)) };
}

/** What a reader sees: phone and ID number masked unless the role works with personal data. */
export function maskPerson<P extends Pick<Person, 'phone' | 'residentId'>>(person: P, seesPersonalData: boolean): P {
  if (seesPersonalData) return person;
  return {
    ...person,
    phone: maskMobile(person.phone),
    ...(person.residentId ? { residentId: maskResidentId(person.residentId) } : {}),
  };
}
