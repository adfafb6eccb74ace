import type { PersonalDataRead, UnitCategory } from '@firegov/contracts';
import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { ensureModelIndexes } from '@firegov/kit';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  BuildingUse,
  CommitmentStatus,
  FireTeamKind,
  ListItemStatus,
  PreventionDevice,
  RiskGrade,
  Vulnerability,
} from '../domain/enums.ts';
import type { RiskFactor, RiskSignals } from '../domain/risk.ts';

// Documents of the entities database. `_id` is the service's own string id. The documents of
// every aggregate that announces itself carry its outbox (see @firegov/events): the stored type is
// `XDoc & OutboxFields`; units also keep `appliedEventIds`, the other services' events they consumed.
//
// `scope` lists the jurisdiction codes a document sits under (county, township, village, grid):
// "everything under X" is one equality on a multikey index, for any level of X.

const person = new Schema({ name: String, phone: String, idNumber: String }, { _id: false });

export interface UnitDoc {
  _id: string;
  version: number;
  status: 'active' | 'deregistered';
  name: string;
  /** Character pairs of the name, for substring search (domain/search-grams.ts); never leaves the store. */
  nameGrams?: string[];
  creditCode?: string;
  category: UnitCategory;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
  address: string;
  location?: { lat: number; lng: number };
  buildingUse: BuildingUse;
  floors: number;
  undergroundFloors: number;
  heightM: number;
  areaM2?: number;
  occupancy: number;
  responsiblePerson: { name: string; phone: string; idNumber?: string };
  manager?: { name: string; phone: string; idNumber?: string };
  supervisingDepartment?: string;
  keyUnit: boolean;
  insurance?: { insurer: string; policyNo: string; validUntil: string };
  publicCommitment: { status: CommitmentStatus; date?: string };
  highRise: boolean;
  highRiseReason?: string;
  selfBuiltTarget: boolean;
  risk: {
    score: number;
    grade: RiskGrade;
    factors: RiskFactor[];
    gradedAt: string;
  };
  /** What other services' events said about the unit (events/inbound), folded into its grade. */
  signals: RiskSignals;
  demo: boolean;
  createdAt: string;
  updatedAt: string;
  deregisterReason?: string;
  /** Ids of the other services' events already folded into `signals` (idempotent consumption). */
  appliedEventIds?: string[];
}
export type StoredUnit = UnitDoc & OutboxFields;

const unitSchema = new Schema<StoredUnit>(
  {
    _id: String,
    version: Number,
    status: String,
    name: String,
    nameGrams: [String],
    creditCode: String,
    category: String,
    countyCode: String,
    townshipCode: String,
    villageCode: String,
    gridCode: String,
    scope: [String],
    address: String,
    location: { lat: Number, lng: Number },
    buildingUse: String,
    floors: Number,
    undergroundFloors: Number,
    heightM: Number,
    areaM2: Number,
    occupancy: Number,
    responsiblePerson: person,
    manager: person,
    supervisingDepartment: String,
    keyUnit: Boolean,
    insurance: { insurer: String, policyNo: String, validUntil: String },
    publicCommitment: { status: String, date: String },
    highRise: Boolean,
    highRiseReason: String,
    selfBuiltTarget: Boolean,
    risk: { score: Number, grade: String, factors: [Schema.Types.Mixed], gradedAt: String },
    signals: Schema.Types.Mixed,
    demo: Boolean,
    createdAt: String,
    updatedAt: String,
    deregisterReason: String,
    appliedEventIds: [String],
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false, strict: true },
);
// Indexes serve the list filters (scope and status plus category, grade, key unit, high-rise or
// self-built target) with _id order for cursor pagination, and make the credit code unique among
// units that have one. The local store answers from the same declarations: it indexes the values
// of every field an index names (infra/ferretdb/firegov_pushdown.go).
unitSchema.index({ scope: 1, status: 1, _id: 1 });
unitSchema.index({ scope: 1, category: 1, _id: 1 });
unitSchema.index({ scope: 1, 'risk.grade': 1, _id: 1 });
unitSchema.index({ scope: 1, keyUnit: 1, _id: 1 });
unitSchema.index({ scope: 1, highRise: 1, _id: 1 });
unitSchema.index({ scope: 1, selfBuiltTarget: 1, _id: 1 });
unitSchema.index({ nameGrams: 1 });
unitSchema.index({ creditCode: 1 }, { unique: true, sparse: true });
unitSchema.index({ outboxPending: 1 });

export interface JurisdictionDoc {
  _id: string;
  name: string;
  level: 'county' | 'township' | 'village' | 'grid';
  parentCode?: string;
  scope: string[];
  gridManagers: Array<{ name: string; phone: string }>;
  demo: boolean;
  createdAt: string;
  /** A county's village fire-force readiness targets, when it set its own (readiness.ts). */
  readinessPolicy?: { requiredMembers: number; minTrainingHoursPerYear: number; changedBy: string; changedAt: string };
}
export type StoredJurisdiction = JurisdictionDoc & OutboxFields;

const jurisdictionSchema = new Schema<StoredJurisdiction>(
  {
    _id: String,
    name: String,
    level: String,
    parentCode: String,
    scope: [String],
    gridManagers: [{ _id: false, name: String, phone: String }],
    demo: Boolean,
    createdAt: String,
    readinessPolicy: { type: Schema.Types.Mixed, default: undefined },
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
jurisdictionSchema.index({ scope: 1, _id: 1 });
jurisdictionSchema.index({ outboxPending: 1 });

export interface HouseholdDoc {
  _id: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
  address: string;
  members: Array<{ name: string; idNumber?: string; phone?: string; vulnerabilities: Vulnerability[] }>;
  devices: Array<{ kind: PreventionDevice; count: number; installedOn: string }>;
  helper?: { name: string; phone: string };
  demo: boolean;
  createdAt: string;
  /** 1 when registered (absent on households stored before updates existed), +1 per update. */
  version?: number;
  updatedAt?: string;
}
export type StoredHousehold = HouseholdDoc & OutboxFields;

const householdSchema = new Schema<StoredHousehold>(
  {
    _id: String,
    villageCode: String,
    gridCode: String,
    scope: [String],
    address: String,
    members: [{ _id: false, name: String, idNumber: String, phone: String, vulnerabilities: [String] }],
    devices: [{ _id: false, kind: String, count: Number, installedOn: String }],
    helper: { name: String, phone: String },
    demo: Boolean,
    createdAt: String,
    version: Number,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
householdSchema.index({ scope: 1, _id: 1 });
householdSchema.index({ outboxPending: 1 });

export interface FireTeamDoc {
  _id: string;
  villageCode: string;
  scope: string[];
  kind: FireTeamKind;
  name: string;
  members: Array<{ name: string; phone: string; role?: string }>;
  equipment: Array<{ item: string; quantity: number }>;
  demo: boolean;
  createdAt: string;
  /** 1 when registered (absent on teams stored before updates existed), +1 per update. */
  version?: number;
  updatedAt?: string;
  /** The team's latest training sessions as the training service announced them (readiness counts their hours). */
  trainingSessions?: Array<{ id: string; date: string; hours: number; participants: number }>;
  /** Ids of the training events already applied (at most once each). */
  appliedEventIds?: string[];
  /** micro_station: 重点单位 or 社区（村）; full_time: township team class; specialist_rescue: speciality. */
  stationType?: 'key_unit' | 'community';
  townshipClass?: 'class1' | 'class2' | 'volunteer';
  speciality?: string;
  capabilities?: string[];
  /** 值班表: shifts HH:MM–HH:MM with who is on duty. */
  dutyRoster?: Array<{ from: string; to: string; members: string[] }>;
  /** The latest call-outs (出动), for the three-minute arrival check. */
  callOuts?: Array<{ at: string; arrivalMinutes: number; incident: string; membersTurnedOut?: number }>;
}
export type StoredFireTeam = FireTeamDoc & OutboxFields;

const fireTeamSchema = new Schema<StoredFireTeam>(
  {
    _id: String,
    villageCode: String,
    scope: [String],
    kind: String,
    name: String,
    members: [{ _id: false, name: String, phone: String, role: String }],
    equipment: [{ _id: false, item: String, quantity: Number }],
    demo: Boolean,
    createdAt: String,
    version: Number,
    updatedAt: String,
    trainingSessions: {
      type: [{ _id: false, id: String, date: String, hours: Number, participants: Number }],
      default: undefined,
    },
    appliedEventIds: { type: [String], default: undefined },
    stationType: String,
    townshipClass: String,
    speciality: String,
    capabilities: { type: [String], default: undefined },
    dutyRoster: { type: [{ _id: false, from: String, to: String, members: [String] }], default: undefined },
    callOuts: {
      type: [{ _id: false, at: String, arrivalMinutes: Number, incident: String, membersTurnedOut: Number }],
      default: undefined,
    },
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
fireTeamSchema.index({ scope: 1, _id: 1 });
fireTeamSchema.index({ outboxPending: 1 });

export interface ListItemDoc {
  id: string;
  title: string;
  owner: string;
  deadline?: string;
  status: ListItemStatus;
  /** 通报 and 约谈 of an overdue item (domain/departments.ts `dueSteps`). */
  escalation?: { noticedAt?: string; interviewDueAt?: string; interviewedAt?: string };
  /** The committee session whose decision this item is (消安委 双定期). */
  origin?: { committeeCode: string; sessionId: string };
}

/** A department and its lists; every change is an event (firegov.entities.departments.v1). */
export interface DepartmentDoc {
  _id: string;
  name: string;
  jurisdictionCode: string;
  scope: string[];
  responsibilities: ListItemDoc[];
  tasks: ListItemDoc[];
  demo: boolean;
  /** Absent: a sector department; `leader`: a leader's own lists (乡镇党委书记, 乡镇长, 村主任). */
  holder?: 'department' | 'leader';
  leaderTitle?: string;
  /** Absent on departments stored before they were versioned: they are at version 1. */
  version?: number;
  updatedAt?: string;
}
export type StoredDepartment = DepartmentDoc & OutboxFields;

const listItem = {
  _id: false,
  id: String,
  title: String,
  owner: String,
  deadline: String,
  status: String,
  escalation: { type: Schema.Types.Mixed, default: undefined },
  origin: { type: Schema.Types.Mixed, default: undefined },
};
const departmentSchema = new Schema<StoredDepartment>(
  {
    _id: String,
    name: String,
    jurisdictionCode: String,
    scope: [String],
    responsibilities: [listItem],
    tasks: [listItem],
    demo: Boolean,
    holder: String,
    leaderTitle: String,
    version: Number,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
departmentSchema.index({ scope: 1, _id: 1 });
departmentSchema.index({ outboxPending: 1 });

/** A 消防安全委员会 of a township or village; `lastMeetingOn`/`lastReportOn` keep 双定期 on the clock. */
export interface CommitteeDoc {
  _id: string;
  name: string;
  jurisdictionCode: string;
  scope: string[];
  members: Array<{
    name: string;
    phone: string;
    role: 'director' | 'deputy_director' | 'office_head' | 'member';
    title?: string;
    departmentCode?: string;
  }>;
  meetingEveryDays: number;
  reportEveryDays: number;
  lastMeetingOn?: string;
  lastReportOn?: string;
  demo: boolean;
  version: number;
  createdAt: string;
  updatedAt?: string;
}
export type StoredCommittee = CommitteeDoc & OutboxFields;

const committeeSchema = new Schema<StoredCommittee>(
  {
    _id: String,
    name: String,
    jurisdictionCode: String,
    scope: [String],
    members: [{ _id: false, name: String, phone: String, role: String, title: String, departmentCode: String }],
    meetingEveryDays: Number,
    reportEveryDays: Number,
    lastMeetingOn: String,
    lastReportOn: String,
    demo: Boolean,
    version: Number,
    createdAt: String,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
committeeSchema.index({ scope: 1, _id: 1 });
committeeSchema.index({ outboxPending: 1 });

/**
 * One session of a committee. Stored first with `applied: false`; its decisions are then added to
 * the departments' lists (ids derived, so twice adds once) and `applied` set: a crash in between
 * leaves a session the sweep completes.
 */
export interface CommitteeSessionDoc {
  _id: string; // `<committee>/<session id>`
  committeeCode: string;
  sessionId: string;
  scope: string[];
  kind: 'meeting' | 'report';
  heldOn: string;
  attendees: string[];
  minutes: string;
  decisions: Array<{ itemId: string; title: string; departmentCode: string; owner: string; deadline: string }>;
  recordedBy: string;
  recordedAt: string;
  applied: boolean;
}
export type StoredCommitteeSession = CommitteeSessionDoc & OutboxFields;

const committeeSessionSchema = new Schema<StoredCommitteeSession>(
  {
    _id: String,
    committeeCode: String,
    sessionId: String,
    scope: [String],
    kind: String,
    heldOn: String,
    attendees: [String],
    minutes: String,
    decisions: [{ _id: false, itemId: String, title: String, departmentCode: String, owner: String, deadline: String }],
    recordedBy: String,
    recordedAt: String,
    applied: Boolean,
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
committeeSessionSchema.index({ committeeCode: 1, heldOn: -1 });
committeeSessionSchema.index({ applied: 1 });
committeeSessionSchema.index({ outboxPending: 1 });

/** A 预警提示 sent down to every grid under a jurisdiction; each grid acknowledges it. */
export interface FireWarningDoc {
  _id: string;
  jurisdictionCode: string;
  /** Every code a reader may stand at and see this warning: the grids and all above them. */
  reach: string[];
  kind: 'holiday' | 'seasonal' | 'major_event' | 'typical_fire';
  title: string;
  body: string;
  validFrom: string;
  validTo: string;
  acknowledgeBy: string;
  grids: Array<{ code: string; name: string; acknowledgedAt?: string; acknowledgedBy?: string }>;
  issuedBy: string;
  issuedAt: string;
  /** When the sweep looked past the acknowledgement time (and named silent grids, if any): once. */
  overdueCheckedAt?: string;
  demo: boolean;
}
export type StoredFireWarning = FireWarningDoc & OutboxFields;

const fireWarningSchema = new Schema<StoredFireWarning>(
  {
    _id: String,
    jurisdictionCode: String,
    reach: [String],
    kind: String,
    title: String,
    body: String,
    validFrom: String,
    validTo: String,
    acknowledgeBy: String,
    grids: [{ _id: false, code: String, name: String, acknowledgedAt: String, acknowledgedBy: String }],
    issuedBy: String,
    issuedAt: String,
    overdueCheckedAt: String,
    demo: Boolean,
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
fireWarningSchema.index({ reach: 1, issuedAt: -1 });
fireWarningSchema.index({ overdueCheckedAt: 1, acknowledgeBy: 1 });
fireWarningSchema.index({ outboxPending: 1 });

/**
 * What entities keeps of each hazard for the annual 考核 (duty-tallies.ts): where it counts, at the
 * hazard version that said so. The durable source the Redis tallies are rebuilt from.
 */
export interface DutyHazardDoc {
  _id: string;
  version: number;
  placement: { codes: string[]; cells: string[] } | null;
}

const dutyHazardSchema = new Schema<DutyHazardDoc>(
  { _id: String, version: Number, placement: { type: Schema.Types.Mixed, default: null } },
  { versionKey: false, minimize: false },
);

/**
 * One answer of any service that showed personal data unmasked (personal-data-trail.ts): the
 * topic's record keyed by its read id, with the jurisdiction codes its reader sits under.
 */
export type PersonalDataReadDoc = Omit<PersonalDataRead, 'readId'> & { _id: string; scope: string[] };

const personalDataReadSchema = new Schema<PersonalDataReadDoc>(
  {
    _id: String,
    at: String,
    service: String,
    reader: { type: Schema.Types.Mixed },
    purpose: { type: String, default: null },
    operation: { type: Schema.Types.Mixed },
    revealed: { type: Schema.Types.Mixed },
    traceId: { type: String, default: null },
    scope: [String],
  },
  { versionKey: false, minimize: false },
);

export interface EntitiesModels {
  units: Model<StoredUnit>;
  jurisdictions: Model<StoredJurisdiction>;
  households: Model<StoredHousehold>;
  fireTeams: Model<StoredFireTeam>;
  departments: Model<StoredDepartment>;
  committees: Model<StoredCommittee>;
  committeeSessions: Model<StoredCommitteeSession>;
  fireWarnings: Model<StoredFireWarning>;
  dutyHazards: Model<DutyHazardDoc>;
  personalDataReads: Model<PersonalDataReadDoc>;
}

export function entitiesModels(conn: Connection): EntitiesModels {
  return {
    units: conn.model<StoredUnit>('Unit', unitSchema, 'units'),
    jurisdictions: conn.model<StoredJurisdiction>('Jurisdiction', jurisdictionSchema, 'jurisdictions'),
    households: conn.model<StoredHousehold>('Household', householdSchema, 'households'),
    fireTeams: conn.model<StoredFireTeam>('FireTeam', fireTeamSchema, 'fire_teams'),
    departments: conn.model<StoredDepartment>('Department', departmentSchema, 'departments'),
    committees: conn.model<StoredCommittee>('Committee', committeeSchema, 'committees'),
    committeeSessions: conn.model<StoredCommitteeSession>('CommitteeSession', committeeSessionSchema, 'committee_sessions'),
    fireWarnings: conn.model<StoredFireWarning>('FireWarning', fireWarningSchema, 'fire_warnings'),
    dutyHazards: conn.model<DutyHazardDoc>('DutyHazard', dutyHazardSchema, 'duty_hazards'),
    personalDataReads: conn.model<PersonalDataReadDoc>('PersonalDataRead', personalDataReadSchema, 'personal_data_reads'),
  };
}

/** The collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: EntitiesModels): Array<Collection<Document>> {
  return [
    models.units,
    models.jurisdictions,
    models.households,
    models.fireTeams,
    models.departments,
    models.committees,
    models.committeeSessions,
    models.fireWarnings,
  ].map((m) => m.collection);
}

/** Creates collections and indexes at start-up (tests and benches call it on their own databases). */
export const ensureIndexes = (models: EntitiesModels): Promise<void> => ensureModelIndexes(models);
