import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { ensureModelIndexes } from '@firegov/kit';
import type { Collection, Document } from 'mongodb';
import { registryModels, type RegistryJurisdictionDoc, type RegistryModels, type RegistryUnitDoc } from '@firegov/registry';
import { Schema, type Connection, type Model } from 'mongoose';
import type { EnforcementCaseState, IncidentState } from '../domain/cases.ts';
import type { DelegationState } from '../domain/delegations.ts';
import type { EscalationState } from '../domain/escalation.ts';
import type { Determination } from '../domain/gb35181.ts';
import type { CollectiveDiscussion, ExpertPanel } from '../domain/grading-procedure.ts';
import type { HazardSource } from '../domain/hazards.ts';
import type { HazardState } from '../domain/hazard-state.ts';
import type { InspectionKind } from '../domain/inspection.ts';
import type { ReportCategory, ReportStatus } from '../domain/reports.ts';
import type { InspectionIntervals, Schedule } from '../domain/supervision.ts';

// Documents of the inspections database. `_id` is the service's own string id; aggregates carry
// their outbox (see @firegov/events). `scope` lists the jurisdiction codes a document sits under
// (county, township, village, grid), as in entities.
//
// The indexes declared here serve a real MongoDB (docker-compose). The local store (FerretDB on
// SQLite) uses none but `_id`, so the hot paths — the escalation sweep, work queues, per-unit lists
// and statistics — read sorted sets in Redis instead (store/hazard-index.ts), rebuilt from here.

const mixed = Schema.Types.Mixed;
const opts = { versionKey: false, minimize: false } as const;

/** What this service knows of the registry: the shared view (@firegov/registry). */
export type UnitRefDoc = RegistryUnitDoc;
export type JurisdictionRefDoc = RegistryJurisdictionDoc;

export interface CampaignDoc {
  _id: string;
  name: { zh: string; en: string };
  targetCategories: string[];
  /** Derived unit flags the campaign also targets (domain/campaigns.ts); absent on campaigns stored before them. */
  targetFlags?: string[];
  jurisdictionCode: string;
  scope: string[];
  period: { from: string; to: string };
  checklist: Array<{ code: string; zh: string; en: string; factorCode?: string }>;
  basis?: string;
  seed: boolean;
  createdAt: string;
}

export interface UnitSnapshotAtTheTime {
  name: string;
  category: string;
  villageCode: string;
  villageName: string;
}

export interface InspectionDoc {
  _id: string;
  unitId: string;
  unit: UnitSnapshotAtTheTime;
  scope: string[];
  kind: InspectionKind;
  campaignKey?: string;
  inspectedAt: string;
  inspectors: string[];
  results: Array<{
    itemCode: string;
    outcome: 'pass' | 'fail' | 'not_applicable';
    note?: string;
    factorCodes?: string[];
    evidence?: Array<{ url: string; sha256: string }>;
  }>;
  hazardIds: string[];
  recordedBy: string;
  createdAt: string;
  demo: boolean;
  /**
   * Set while its hazards are being written (service/inspections.ts): the inspection is stored
   * first, its hazards next under ids derived from it, and this flag is cleared with the event in
   * the last write. One left set (a crash) is completed by the recovery sweep.
   */
  recording?: boolean;
}

export interface HazardDoc {
  _id: string;
  version: number;
  unitId: string;
  unit: UnitSnapshotAtTheTime;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  scope: string[];
  source: HazardSource;
  sourceRef?: { kind: HazardSource; id: string };
  campaignKey?: string;
  title: string;
  description: string;
  location?: string;
  factorCodes: string[];
  evidence: Array<{ url: string; sha256: string }>;
  determination: Determination;
  discussion?: CollectiveDiscussion;
  expertPanel?: ExpertPanel;
  gradeDecidedBy: string;
  state: HazardState;
  escalation: EscalationState;
  /** When the sweep must next look at this hazard (ISO), or null: mirrored into Redis. */
  nextCheckAt: string | null;
  foundAt: string;
  foundBy: string;
  demo: boolean;
  updatedAt: string;
}

export interface ReportDoc {
  _id: string;
  tokenHash: string;
  category: ReportCategory;
  description: string;
  location: { lat?: number; long?: number; address?: string };
  media: Array<{ url: string; sha256: string }>;
  anonymous: boolean;
  whistleblower: boolean;
  contact?: { name?: string; phone: string };
  jurisdictionCode: string;
  scope: string[];
  status: ReportStatus;
  notes: Array<{ at: string; status: string; note: string }>;
  hazardId?: string;
  closeReason?: string;
  triagedBy?: string;
  triagedAt?: string;
  reward?: { eligible: boolean; reason: string; tier?: string };
  /** 举报奖励 paid (domain/reports.ts `recordRewardPaid`). */
  rewardPaid?: { amountYuan: number; paidAt: string; recordedBy: string };
  receivedAt: string;
  clientKey: string;
}

/** 执法 case: the domain state (domain/cases.ts) plus where it sits. */
export interface EnforcementDoc extends EnforcementCaseState {
  _id: string;
  scope: string[];
  /** Who enforces: the county's own power, or a township under the delegation named (委托执法). */
  authority?: { kind: 'own' } | { kind: 'delegated'; townshipCode: string; delegationIds: string[] };
}

/** 委托/赋权执法: county → township, which measures, from when to when (domain/delegations.ts). */
export interface DelegationDoc extends DelegationState {
  _id: string;
  scope: string[];
}

/** 火灾事故 with its investigation: the domain state plus the unit as it was and where it sits. */
export interface IncidentDoc extends IncidentState {
  _id: string;
  unit: UnitSnapshotAtTheTime;
  scope: string[];
}

/** A document as stored: aggregates whose changes are announced carry their outbox (@firegov/events). */
export type Stored<D> = D & OutboxFields;

const campaignSchema = new Schema<CampaignDoc>(
  {
    _id: String,
    name: mixed,
    targetCategories: [String],
    targetFlags: { type: [String], default: undefined },
    jurisdictionCode: String,
    scope: [String],
    period: mixed,
    checklist: [mixed],
    basis: String,
    seed: Boolean,
    createdAt: String,
  },
  opts,
);
campaignSchema.index({ scope: 1, _id: 1 });

const inspectionSchema = new Schema<Stored<InspectionDoc>>(
  {
    _id: String,
    unitId: String,
    unit: mixed,
    scope: [String],
    kind: String,
    campaignKey: String,
    inspectedAt: String,
    inspectors: [String],
    results: [mixed],
    hazardIds: [String],
    recordedBy: String,
    createdAt: String,
    demo: Boolean,
    recording: Boolean,
    ...outboxSchemaFields,
  },
  opts,
);
inspectionSchema.index({ unitId: 1, inspectedAt: -1 });
// The recovery sweep finds inspections a crash left half-written.
inspectionSchema.index({ recording: 1, createdAt: 1 });
inspectionSchema.index({ scope: 1, _id: 1 });
inspectionSchema.index({ outboxPending: 1 });

const hazardSchema = new Schema<Stored<HazardDoc>>(
  {
    _id: String,
    version: Number,
    unitId: String,
    unit: mixed,
    countyCode: String,
    townshipCode: String,
    villageCode: String,
    scope: [String],
    source: String,
    sourceRef: mixed,
    campaignKey: String,
    title: String,
    description: String,
    location: String,
    factorCodes: [String],
    evidence: [mixed],
    determination: mixed,
    discussion: mixed,
    expertPanel: mixed,
    gradeDecidedBy: String,
    state: mixed,
    escalation: mixed,
    nextCheckAt: { type: String, default: null },
    foundAt: String,
    foundBy: String,
    demo: Boolean,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
// The sweep's and the work queues' indexes on MongoDB; Redis mirrors them locally (see above).
hazardSchema.index({ nextCheckAt: 1 });
hazardSchema.index({ scope: 1, 'state.status': 1, 'state.order.deadline': 1 });
hazardSchema.index({ unitId: 1, foundAt: -1 });
hazardSchema.index({ outboxPending: 1 });

const reportSchema = new Schema<Stored<ReportDoc>>(
  {
    _id: String,
    tokenHash: String,
    category: String,
    description: String,
    location: mixed,
    media: [mixed],
    anonymous: Boolean,
    whistleblower: Boolean,
    contact: mixed,
    jurisdictionCode: String,
    scope: [String],
    status: String,
    notes: [mixed],
    hazardId: String,
    closeReason: String,
    triagedBy: String,
    triagedAt: String,
    reward: mixed,
    rewardPaid: mixed,
    receivedAt: String,
    clientKey: String,
    ...outboxSchemaFields,
  },
  opts,
);
reportSchema.index({ tokenHash: 1 }, { unique: true });
reportSchema.index({ scope: 1, status: 1, _id: 1 });
reportSchema.index({ outboxPending: 1 });

const enforcementSchema = new Schema<Stored<EnforcementDoc>>(
  {
    _id: String,
    hazardId: String,
    unitId: String,
    scope: [String],
    status: String,
    basis: String,
    measures: [String],
    fineYuan: Number,
    note: String,
    decidedBy: String,
    decidedAt: String,
    outcome: String,
    openedAt: String,
    openedBy: String,
    closedAt: String,
    authority: mixed,
    ...outboxSchemaFields,
  },
  opts,
);
enforcementSchema.index({ scope: 1, status: 1 });

const delegationSchema = new Schema<DelegationDoc>(
  {
    _id: String,
    townshipCode: String,
    scope: [String],
    measures: [String],
    from: String,
    to: String,
    basis: String,
    grantedBy: String,
    grantedAt: String,
    revokedAt: String,
    revokedBy: String,
  },
  opts,
);
// A township's delegations are read on every enforcement step it takes.
delegationSchema.index({ townshipCode: 1, _id: 1 });
delegationSchema.index({ scope: 1, _id: 1 });
enforcementSchema.index({ outboxPending: 1 });

const incidentSchema = new Schema<Stored<IncidentDoc>>(
  {
    _id: String,
    unitId: String,
    unit: mixed,
    scope: [String],
    occurredAt: String,
    cause: String,
    deaths: Number,
    injuries: Number,
    directLossYuan: Number,
    summary: String,
    influential: Boolean,
    severity: String,
    obligations: mixed,
    status: String,
    investigation: mixed,
    accountability: [mixed],
    upwardNotice: mixed,
    rectificationAssessment: mixed,
    recordedBy: String,
    recordedAt: String,
    closedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
incidentSchema.index({ scope: 1, occurredAt: -1 });
incidentSchema.index({ outboxPending: 1 });

/** 分级分类监管: a unit's inspection schedule by its risk grade (`_id` is the unit id). */
export interface ScheduleDoc extends Schedule {
  _id: string;
  version: number;
  scope: string[];
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  /** False once the unit is deregistered: it is due for nothing. */
  active: boolean;
  /** When the escalation ladder next has something to do; null when inactive. */
  nextCheckAt: string | null;
  updatedAt: string;
  demo: boolean;
}

const scheduleSchema = new Schema<Stored<ScheduleDoc>>(
  {
    _id: String,
    version: Number,
    scope: [String],
    countyCode: String,
    townshipCode: String,
    villageCode: String,
    grade: String,
    intervalMonths: Number,
    knownSince: String,
    lastInspectedAt: String,
    dueAt: String,
    escalation: mixed,
    active: Boolean,
    nextCheckAt: String,
    updatedAt: String,
    demo: Boolean,
    ...outboxSchemaFields,
  },
  opts,
);
// A county's schedules are recomputed when it changes its intervals.
scheduleSchema.index({ countyCode: 1, _id: 1 });
scheduleSchema.index({ outboxPending: 1 });

/** A county's inspection interval per risk grade (`_id` is the county code). */
export interface SupervisionPolicyDoc {
  _id: string;
  intervals: InspectionIntervals;
  version: number;
  changedBy: string;
  changedAt: string;
  /** False until every schedule of the county moved to these intervals. */
  rescheduled?: boolean;
}

const supervisionPolicySchema = new Schema<Stored<SupervisionPolicyDoc>>(
  {
    _id: String,
    intervals: mixed,
    version: Number,
    changedBy: String,
    changedAt: String,
    rescheduled: Boolean,
    ...outboxSchemaFields,
  },
  opts,
);
supervisionPolicySchema.index({ outboxPending: 1 });

export interface InspectionsModels extends RegistryModels {
  campaigns: Model<CampaignDoc>;
  inspections: Model<Stored<InspectionDoc>>;
  hazards: Model<Stored<HazardDoc>>;
  reports: Model<Stored<ReportDoc>>;
  enforcement: Model<Stored<EnforcementDoc>>;
  incidents: Model<Stored<IncidentDoc>>;
  delegations: Model<DelegationDoc>;
  schedules: Model<Stored<ScheduleDoc>>;
  supervisionPolicies: Model<Stored<SupervisionPolicyDoc>>;
}

export function inspectionsModels(conn: Connection): InspectionsModels {
  return {
    ...registryModels(conn),
    campaigns: conn.model<CampaignDoc>('Campaign', campaignSchema, 'campaigns'),
    inspections: conn.model<Stored<InspectionDoc>>('Inspection', inspectionSchema, 'inspections'),
    hazards: conn.model<Stored<HazardDoc>>('Hazard', hazardSchema, 'hazards'),
    reports: conn.model<Stored<ReportDoc>>('Report', reportSchema, 'reports'),
    enforcement: conn.model<Stored<EnforcementDoc>>('Enforcement', enforcementSchema, 'enforcement_cases'),
    incidents: conn.model<Stored<IncidentDoc>>('Incident', incidentSchema, 'incidents'),
    delegations: conn.model<DelegationDoc>('Delegation', delegationSchema, 'enforcement_delegations'),
    schedules: conn.model<Stored<ScheduleDoc>>('InspectionSchedule', scheduleSchema, 'inspection_schedules'),
    supervisionPolicies: conn.model<Stored<SupervisionPolicyDoc>>(
      'SupervisionPolicy',
      supervisionPolicySchema,
      'supervision_policies',
    ),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: InspectionsModels): Array<Collection<Document>> {
  return [
    models.inspections,
    models.hazards,
    models.reports,
    models.enforcement,
    models.incidents,
    models.schedules,
    models.supervisionPolicies,
  ].map((m) => m.collection);
}

/** Creates collections and indexes at start-up (tests and benches call it on their own databases). */
export const ensureIndexes = (models: InspectionsModels): Promise<void> => ensureModelIndexes(models);
