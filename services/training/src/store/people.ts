import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { TrainingEvidence } from '../domain/compliance.ts';
import type { Person } from '../domain/people.ts';
import type { Requirement } from '../domain/requirements.ts';

// The stores of people, required-training rules, unit coverage and xAPI statements.

export type PersonDoc = Person;
export type RequirementDoc = Requirement & OutboxFields;

/** The coverage last announced for a unit: what a recomputation compares with. */
export interface UnitCoverageDoc extends OutboxFields {
  _id: string;
  version: number;
  coverage: number | null;
  required: number;
  covered: number;
  vacantRoles: string[];
  scope: string[];
  computedAt: string;
}

/**
 * A learning record from the learning platform (xAPI), kept here until the learning area's
 * certificate service records them: `_id` is derived from the statement id, so applying a statement
 * twice writes one record.
 */
export interface XapiLearningRecordDoc extends TrainingEvidence {
  _id: string;
  statementId: string;
  scaledScore?: number;
  recordedAt: string;
}

/** A statement applied (or refused for good): its id makes a replay change nothing. */
export interface XapiStatementDoc {
  _id: string;
  hash: string;
  personId?: string;
  outcome: 'recorded' | 'no_effect';
  receivedAt: string;
  receivedBy: string;
}

const opts = { versionKey: false, minimize: false } as const;

const personSchema = new Schema<PersonDoc>(
  {
    _id: String,
    version: Number,
    name: String,
    phone: String,
    residentId: String,
    email: String,
    platformAccount: String,
    assignments: [{ _id: false, role: String, unitId: String, villageCode: String, scope: [String] }],
    scope: [String],
    unitIds: [String],
    villageCodes: [String],
    createdAt: String,
    createdBy: String,
    demo: Boolean,
  },
  opts,
);
personSchema.index({ scope: 1, _id: 1 });
personSchema.index({ unitIds: 1 });
personSchema.index({ villageCodes: 1 });
// xAPI actors are matched by platform account or e-mail.
personSchema.index({ platformAccount: 1 }, { sparse: true });
personSchema.index({ email: 1 }, { sparse: true });

const requirementSchema = new Schema<RequirementDoc>(
  {
    _id: String,
    version: Number,
    role: String,
    premises: String,
    courseIds: [String],
    intervalMonths: { type: Number, default: null },
    confidence: String,
    source: String,
    localPolicy: Boolean,
    active: Boolean,
    changedAt: String,
    changedBy: String,
    ...outboxSchemaFields,
  },
  opts,
);
requirementSchema.index({ outboxPending: 1 });

const coverageSchema = new Schema<UnitCoverageDoc>(
  {
    _id: String,
    version: Number,
    coverage: { type: Number, default: null },
    required: Number,
    covered: Number,
    vacantRoles: [String],
    scope: [String],
    computedAt: String,
    ...outboxSchemaFields,
  },
  opts,
);
coverageSchema.index({ outboxPending: 1 });

const learningRecordSchema = new Schema<XapiLearningRecordDoc>(
  {
    _id: String,
    statementId: String,
    personId: String,
    courseId: String,
    issuedAt: String,
    validUntil: { type: String, default: null },
    scaledScore: Number,
    recordedAt: String,
  },
  opts,
);
learningRecordSchema.index({ personId: 1, courseId: 1 });

const statementSchema = new Schema<XapiStatementDoc>(
  { _id: String, hash: String, personId: String, outcome: String, receivedAt: String, receivedBy: String },
  opts,
);

export interface PeopleModels {
  people: Model<PersonDoc>;
  requirements: Model<RequirementDoc>;
  unitCoverage: Model<UnitCoverageDoc>;
  xapiLearningRecords: Model<XapiLearningRecordDoc>;
  xapiStatements: Model<XapiStatementDoc>;
}

export function peopleModels(conn: Connection): PeopleModels {
  return {
    people: conn.model<PersonDoc>('Person', personSchema, 'people'),
    requirements: conn.model<RequirementDoc>('Requirement', requirementSchema, 'requirements'),
    unitCoverage: conn.model<UnitCoverageDoc>('UnitCoverage', coverageSchema, 'unit_training_coverage'),
    xapiLearningRecords: conn.model<XapiLearningRecordDoc>('XapiLearningRecord', learningRecordSchema, 'xapi_learning_records'),
    xapiStatements: conn.model<XapiStatementDoc>('XapiStatement', statementSchema, 'xapi_statements'),
  };
}

/** The people area's collections that carry an outbox, for the relay. */
export const peopleOutboxCollections = (models: PeopleModels): Array<Collection<Document>> => [
  models.requirements.collection,
  models.unitCoverage.collection,
];
