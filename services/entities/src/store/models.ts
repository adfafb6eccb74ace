import { outboxSchemaFields } from '@firegov/events';
import { ensureModelIndexes } from '@firegov/kit';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';

// Documents of the entities database. `_id` is the service's own string id. Every aggregate
// document carries its outbox (see @firegov/events): `outbox`, `outboxPending`, and
// `appliedEventIds` where it consumes other services' events.
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
  category: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  gridCode?: string;
  scope: string[];
  address: string;
  location?: { lat: number; lng: number };
  buildingUse: string;
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
  publicCommitment: { status: string; date?: string };
  highRise: boolean;
  highRiseReason?: string;
  selfBuiltTarget: boolean;
  risk: {
    score: number;
    grade: string;
    factors: Array<{ code: string; label: string; points: number; detail: string }>;
    gradedAt: string;
  };
  signals: Record<string, unknown>;
  demo: boolean;
  createdAt: string;
  updatedAt: string;
  deregisterReason?: string;
  /** Ids of the other services' events already folded into `signals` (idempotent consumption). */
  appliedEventIds?: string[];
}

const unitSchema = new Schema<UnitDoc>(
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
}

const jurisdictionSchema = new Schema<JurisdictionDoc>(
  {
    _id: String,
    name: String,
    level: String,
    parentCode: String,
    scope: [String],
    gridManagers: [{ _id: false, name: String, phone: String }],
    demo: Boolean,
    createdAt: String,
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
  members: Array<{ name: string; idNumber?: string; phone?: string; vulnerabilities: string[] }>;
  devices: Array<{ kind: string; count: number; installedOn: string }>;
  helper?: { name: string; phone: string };
  demo: boolean;
  createdAt: string;
}

const householdSchema = new Schema<HouseholdDoc>(
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
  kind: string;
  name: string;
  members: Array<{ name: string; phone: string; role?: string }>;
  equipment: Array<{ item: string; quantity: number }>;
  demo: boolean;
  createdAt: string;
}

const fireTeamSchema = new Schema<FireTeamDoc>(
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
    ...outboxSchemaFields,
  },
  { versionKey: false, minimize: false },
);
fireTeamSchema.index({ scope: 1, _id: 1 });
fireTeamSchema.index({ outboxPending: 1 });

export interface DepartmentDoc {
  _id: string;
  name: string;
  jurisdictionCode: string;
  scope: string[];
  responsibilities: Array<{ id: string; title: string; owner: string; deadline?: string; status: string }>;
  tasks: Array<{ id: string; title: string; owner: string; deadline?: string; status: string }>;
  demo: boolean;
}

const listItem = { _id: false, id: String, title: String, owner: String, deadline: String, status: String };
const departmentSchema = new Schema<DepartmentDoc>(
  {
    _id: String,
    name: String,
    jurisdictionCode: String,
    scope: [String],
    responsibilities: [listItem],
    tasks: [listItem],
    demo: Boolean,
  },
  { versionKey: false, minimize: false },
);
departmentSchema.index({ scope: 1, _id: 1 });

export interface EntitiesModels {
  units: Model<UnitDoc>;
  jurisdictions: Model<JurisdictionDoc>;
  households: Model<HouseholdDoc>;
  fireTeams: Model<FireTeamDoc>;
  departments: Model<DepartmentDoc>;
}

export function entitiesModels(conn: Connection): EntitiesModels {
  return {
    units: conn.model<UnitDoc>('Unit', unitSchema, 'units'),
    jurisdictions: conn.model<JurisdictionDoc>('Jurisdiction', jurisdictionSchema, 'jurisdictions'),
    households: conn.model<HouseholdDoc>('Household', householdSchema, 'households'),
    fireTeams: conn.model<FireTeamDoc>('FireTeam', fireTeamSchema, 'fire_teams'),
    departments: conn.model<DepartmentDoc>('Department', departmentSchema, 'departments'),
  };
}

/** The collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: EntitiesModels) {
  return [
    models.units.collection,
    models.jurisdictions.collection,
    models.households.collection,
    models.fireTeams.collection,
  ] as unknown as Array<Collection<Document>>;
}

/** Creates collections and indexes at start-up (tests and benches call it on their own databases). */
export const ensureIndexes = (models: EntitiesModels): Promise<void> => ensureModelIndexes(models);
