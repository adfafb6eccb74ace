import type { ApiClientRecord } from '@firegov/auth';
import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { ensureModelIndexes } from '@firegov/kit';
import type { Collection, Document } from 'mongodb';
import { registryModels, type RegistryModels, type RegistryUnitDoc } from '@firegov/registry';
import { Schema, type Connection, type Model } from 'mongoose';

// Documents of the assessment database. `_id` is the service's own id; documents that announce
// changes carry their outbox (see @firegov/events). Everything an agency push needs is one point
// read by `_id` (FerretDB on SQLite uses no other index): the agency document embeds its engineers,
// contracts, API clients and credit history; units are found by id or, through `unit_codes`, by
// credit code.

const mixed = Schema.Types.Mixed;
const opts = { versionKey: false, minimize: false } as const;

/** What this service knows of the registry: the shared view (@firegov/registry). */
export type UnitRefDoc = RegistryUnitDoc;

export interface EngineerDoc {
  name: string;
  licenceNo: string;
  validFrom: string;
  validUntil: string;
}

export interface ContractDoc {
  id: string;
  unitIds: string[];
  jurisdictionCodes: string[];
  validFrom: string;
  validUntil: string;
  createdAt: string;
}

/** An OAuth client of the push API (see @firegov/auth's api-clients). */
export type ClientDoc = ApiClientRecord;

export interface CreditEventDoc {
  kind: 'late_submission' | 'rejected_submission' | 'audit_mismatch' | 'audit_match' | 'complaint_upheld' | 'complaint_dismissed';
  at: string;
  ref?: string;
  detail?: string;
}

export interface AgencyDoc {
  _id: string;
  version: number;
  name: string;
  creditCode: string;
  qualification: string;
  status: 'active' | 'suspended' | 'revoked';
  statusReason?: string;
  /** The county that registered the agency: its users manage and read it. */
  countyCode: string;
  scope: string[];
  contactPhone?: string;
  engineers: EngineerDoc[];
  contracts: ContractDoc[];
  clients: ClientDoc[];
  credit: CreditEventDoc[];
  createdAt: string;
  updatedAt: string;
}

export interface SubmissionBody {
  engineerLicence: string;
  assessedOn: string;
  method: string;
  score: number;
  grade: 'A' | 'B' | 'C' | 'D';
  findings: Array<{
    id: string;
    category: string;
    severity: 'general' | 'major';
    description: string;
    location: string;
    factorCodes?: string[];
    evidence: Array<{ url: string; sha256: string }>;
  }>;
  report: { url: string; sha256: string };
}

export interface ReceiptDoc {
  agencyId: string;
  assessmentId: string;
  version: number;
  bodyHash: string;
  receivedAt: string;
  previousReceiptHash: string | null;
  hash: string;
  signature: string;
}

export interface AssessmentVersionDoc {
  version: number;
  kind: 'submitted' | 'amended';
  body: SubmissionBody;
  bodyHash: string;
  submittedAt: string;
  reason?: string;
  receipt: ReceiptDoc;
}

export interface AssessmentDoc {
  _id: string;
  agencyId: string;
  /** The idempotency key of the submission that created it: the id derives from it. */
  idempotencyKey: string;
  requestHash: string;
  unitId: string;
  unitName: string;
  scope: string[];
  status: 'active' | 'withdrawn';
  version: number;
  current: SubmissionBody;
  versions: AssessmentVersionDoc[];
  late: boolean;
  sampled: boolean;
  audit?: { recordedAt: string; recordedBy: string; outcome: 'match' | 'mismatch'; explanation: string };
  withdrawnReason?: string;
  withdrawnAt?: string;
  createdAt: string;
  updatedAt: string;
  demo: boolean;
}

/**
 * How an assessment is stored: each version's body as one JSON string, and no separate copy of
 * the current version (see assessment-codec.ts, which converts both ways).
 */
export interface StoredVersion extends Omit<AssessmentVersionDoc, 'body'> {
  bodyJson: string;
}

export interface StoredAssessment extends Omit<AssessmentDoc, 'current' | 'versions'> {
  versions: StoredVersion[];
}

/** The documents as their collections hold them: with the outbox of the events they announce. */
export type StoredAgencyDoc = AgencyDoc & OutboxFields;
export type StoredAssessmentDoc = StoredAssessment & OutboxFields;

const agencySchema = new Schema<StoredAgencyDoc>(
  {
    _id: String,
    version: Number,
    name: String,
    creditCode: String,
    qualification: String,
    status: String,
    statusReason: String,
    countyCode: String,
    scope: [String],
    contactPhone: String,
    engineers: [mixed],
    contracts: [mixed],
    clients: [mixed],
    credit: [mixed],
    createdAt: String,
    updatedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
agencySchema.index({ creditCode: 1 }, { unique: true });
agencySchema.index({ outboxPending: 1 });

const assessmentSchema = new Schema<StoredAssessmentDoc>(
  {
    _id: String,
    agencyId: String,
    idempotencyKey: String,
    requestHash: String,
    unitId: String,
    unitName: String,
    scope: [String],
    status: String,
    version: Number,
    versions: [mixed],
    late: Boolean,
    sampled: Boolean,
    audit: mixed,
    withdrawnReason: String,
    withdrawnAt: String,
    createdAt: String,
    updatedAt: String,
    demo: Boolean,
    ...outboxSchemaFields,
  },
  opts,
);
assessmentSchema.index({ agencyId: 1, _id: 1 });
assessmentSchema.index({ unitId: 1, createdAt: -1 });
assessmentSchema.index({ outboxPending: 1 });

export interface AssessmentModels extends RegistryModels {
  agencies: Model<StoredAgencyDoc>;
  assessments: Model<StoredAssessmentDoc>;
}

export function assessmentModels(conn: Connection): AssessmentModels {
  return {
    ...registryModels(conn),
    agencies: conn.model<StoredAgencyDoc>('Agency', agencySchema, 'agencies'),
    assessments: conn.model<StoredAssessmentDoc>('Assessment', assessmentSchema, 'assessments'),
  };
}

export function outboxCollections(models: AssessmentModels): Array<Collection<Document>> {
  return [models.agencies.collection, models.assessments.collection];
}

/** Creates collections and indexes at start-up (tests and benches call it on their own databases). */
export const ensureIndexes = (models: AssessmentModels): Promise<void> => ensureModelIndexes(models);
