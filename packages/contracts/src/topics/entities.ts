import { z } from 'zod';
import { UnitCategory } from '../enums/unit-category.ts';
import { defineTopic } from './define-topic.ts';

// Events of the entities service (the registry). Snapshots carry no personal data (names, phones
// and ID numbers of responsible persons stay in the registry): consumers need to know a unit
// exists, where it is and what it is, not who runs it.

const code12 = z.string().regex(/^\d{12}$/);
const riskGrade = z.enum(['low', 'general', 'significant', 'major']);

export const riskFactorSchema = z.object({ code: z.string(), label: z.string(), points: z.number(), detail: z.string() });

export const unitSnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  name: z.string().min(1),
  creditCode: z.string().optional(),
  category: UnitCategory.schema,
  countyCode: code12,
  townshipCode: code12,
  villageCode: code12,
  gridCode: z.string().optional(),
  address: z.string(),
  location: z.object({ lat: z.number(), lng: z.number() }).optional(),
  buildingUse: z.string(),
  floors: z.number().int(),
  undergroundFloors: z.number().int(),
  heightM: z.number(),
  occupancy: z.number().int(),
  keyUnit: z.boolean(),
  highRise: z.boolean(),
  selfBuiltTarget: z.boolean(),
  supervisingDepartment: z.string().optional(),
  riskGrade,
  riskScore: z.number(),
  status: z.enum(['active', 'deregistered']),
  demo: z.boolean(),
});
export type UnitSnapshot = z.infer<typeof unitSnapshotSchema>;

export const unitTopic = defineTopic({
  name: 'firegov.entities.units.v1',
  owner: 'entities',
  description:
    'Units and premises (社会单位/场所): every registration, change, deregistration and risk grade, each with a full snapshot.',
  keyedBy: 'unit id',
  events: {
    'entities.unit.registered': unitSnapshotSchema,
    'entities.unit.updated': unitSnapshotSchema.extend({ changed: z.array(z.string()) }),
    'entities.unit.deregistered': unitSnapshotSchema.extend({ reason: z.string().min(1) }),
    'entities.unit.risk_graded': z.object({
      id: z.string().min(1),
      villageCode: code12,
      score: z.number(),
      grade: riskGrade,
      previousGrade: riskGrade.optional(),
      factors: z.array(riskFactorSchema),
    }),
  },
});

const householdSnapshotSchema = z.object({
  id: z.string().min(1),
  villageCode: code12,
  /** The grid (网格) inside the village, when the household is assigned to one. */
  gridCode: z.string().optional(),
  memberCount: z.number().int().min(1),
  vulnerabilities: z.array(z.string()),
  devices: z.array(z.object({ kind: z.string(), count: z.number().int(), installedOn: z.string() })),
  demo: z.boolean(),
});

export const householdTopic = defineTopic({
  name: 'firegov.entities.households.v1',
  owner: 'entities',
  description: 'Vulnerable households (空巢老人, 留守儿童, 老弱病残) and the prevention devices installed for them.',
  keyedBy: 'household id',
  events: {
    'entities.household.registered': householdSnapshotSchema,
    /** The household after a change (members, devices, helper, address): a whole snapshot, like registered. */
    'entities.household.updated': householdSnapshotSchema,
  },
});

const fireTeamSnapshotSchema = z.object({
  id: z.string().min(1),
  villageCode: code12,
  kind: z.string(),
  memberCount: z.number().int().min(0),
  equipmentItems: z.number().int().min(0),
  demo: z.boolean(),
});

export const fireForceTopic = defineTopic({
  name: 'firegov.entities.fireforces.v1',
  owner: 'entities',
  description:
    'Village fire teams (专/兼职消防队), micro fire stations (微型消防站) and specialist rescue forces (专业救援力量), and each county’s village readiness targets.',
  keyedBy: 'team id (county code for readiness_policy_changed)',
  events: {
    'entities.fireteam.registered': fireTeamSnapshotSchema,
    /** The team after a change of roster, equipment or name: a whole snapshot, like registered. */
    'entities.fireteam.updated': fireTeamSnapshotSchema,
    /** A county's village readiness targets: team members (at least 20) and yearly training hours. */
    'entities.fireforce.readiness_policy_changed': z.object({
      countyCode: code12,
      requiredMembers: z.number().int().min(1),
      minTrainingHoursPerYear: z.number().min(0),
      changedBy: z.string().min(1),
      changedAt: z.iso.datetime({ offset: true }),
    }),
  },
});

export const jurisdictionSnapshotSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  level: z.enum(['county', 'township', 'village', 'grid']),
  parentCode: z.string().optional(),
  demo: z.boolean(),
});
export type JurisdictionSnapshot = z.infer<typeof jurisdictionSnapshotSchema>;

const listItemSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  owner: z.string().min(1),
  deadline: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  status: z.enum(['pending', 'in_progress', 'done', 'overdue']),
});

const departmentSnapshotSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  /** A sector department, or a leader (乡镇党委书记, 乡镇长, 村主任) with lists of their own. */
  holder: z.enum(['department', 'leader']),
  leaderTitle: z.string().optional(),
  jurisdictionCode: code12,
  version: z.number().int().min(1),
  /** 责任清单 */
  responsibilities: z.array(listItemSchema),
  /** 任务清单 */
  tasks: z.array(listItemSchema),
  demo: z.boolean(),
});

export const departmentTopic = defineTopic({
  name: 'firegov.entities.departments.v1',
  owner: 'entities',
  description:
    'Departments and leaders with their 责任清单 (responsibilities) and 任务清单 (tasks): registrations, changes of name or lists, every status set on a list item, and the 通报 and 约谈 that follow an overdue one.',
  keyedBy: 'department code',
  events: {
    'entities.department.registered': departmentSnapshotSchema,
    'entities.department.updated': departmentSnapshotSchema.extend({ changed: z.array(z.string()) }),
    /** An overdue item's 通报 went out, its 约谈 fell due, or the 约谈 was held. */
    'entities.department.list_item_escalated': departmentSnapshotSchema.extend({
      list: z.enum(['responsibilities', 'tasks']),
      itemId: z.string().min(1),
      step: z.enum(['notice', 'interview_due', 'interviewed']),
      daysOverdue: z.number().int().min(0),
    }),
    'entities.department.list_item_changed': departmentSnapshotSchema.extend({
      list: z.enum(['responsibilities', 'tasks']),
      itemId: z.string().min(1),
      from: z.enum(['pending', 'in_progress', 'done', 'overdue']),
      to: z.enum(['pending', 'in_progress', 'done', 'overdue']),
      changedBy: z.string().min(1),
    }),
  },
});

export const jurisdictionTopic = defineTopic({
  name: 'firegov.entities.jurisdictions.v1',
  owner: 'entities',
  description: 'The jurisdiction tree: county → township → village/community → grid.',
  keyedBy: 'jurisdiction code',
  events: {
    'entities.jurisdiction.registered': jurisdictionSnapshotSchema,
  },
});
