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
  /** The committee session (消安委 双定期) whose decision this item is. */
  origin: z.object({ committeeCode: z.string().min(1), sessionId: z.string().min(1) }).optional(),
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

const committeeSnapshotSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  jurisdictionCode: code12,
  version: z.number().int().min(1),
  /** Names and posts only: members' phones stay in the registry. */
  members: z.array(
    z.object({
      name: z.string().min(1),
      role: z.enum(['director', 'deputy_director', 'office_head', 'member']),
      title: z.string().optional(),
      departmentCode: z.string().optional(),
    }),
  ),
  meetingEveryDays: z.number().int().min(1),
  reportEveryDays: z.number().int().min(1),
  demo: z.boolean(),
});

const warningSnapshotSchema = z.object({
  id: z.string().min(1),
  jurisdictionCode: code12,
  kind: z.enum(['holiday', 'seasonal', 'major_event', 'typical_fire']),
  title: z.string().min(1),
  validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  validTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  acknowledgeBy: z.string(),
});

export const committeeTopic = defineTopic({
  name: 'firegov.entities.committees.v1',
  owner: 'entities',
  description:
    'Township and village fire-safety committees (消安委): their members, the sessions of 双定期 (regular meetings and reports) with the decisions that became list items, and the 预警提示 (holiday, seasonal, major-event, typical-fire warnings) sent down to grids with each grid’s acknowledgement.',
  keyedBy: 'committee code; warning id for warnings',
  events: {
    'entities.committee.registered': committeeSnapshotSchema,
    'entities.committee.updated': committeeSnapshotSchema.extend({ changed: z.array(z.string()) }),
    /** A session held; each decision is now an item of a department's 任务清单. */
    'entities.committee.session_recorded': z.object({
      committeeCode: z.string().min(1),
      sessionId: z.string().min(1),
      kind: z.enum(['meeting', 'report']),
      heldOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      decisions: z.array(
        z.object({ itemId: z.string().min(1), departmentCode: z.string().min(1), title: z.string(), deadline: z.string() }),
      ),
      recordedBy: z.string().min(1),
    }),
    'entities.warning.issued': warningSnapshotSchema.extend({ gridCodes: z.array(z.string()), issuedBy: z.string().min(1) }),
    'entities.warning.acknowledged': warningSnapshotSchema.extend({
      gridCode: z.string().min(1),
      acknowledgedBy: z.string().min(1),
      pendingGrids: z.number().int().min(0),
    }),
    /** The acknowledgement time passed with grids still silent: the issuer chases them. Once per warning. */
    'entities.warning.acknowledgement_overdue': warningSnapshotSchema.extend({ pendingGridCodes: z.array(z.string()) }),
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
