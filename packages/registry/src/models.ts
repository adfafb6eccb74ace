import { Schema, type Connection, type Model } from 'mongoose';

// What a service keeps of the registry entities owns. Collection names are the ones the services
// used before this package existed, so deployed projections stay where they are.

/** A unit as other services know it: enough to scope, name, find by credit code and grade. */
export interface RegistryUnitDoc {
  _id: string;
  version: number;
  name: string;
  /** 统一社会信用代码, when the unit has one. */
  creditCode?: string;
  category: string;
  countyCode: string;
  townshipCode: string;
  villageCode: string;
  gridCode?: string;
  /** The unit's jurisdiction codes from county to grid: the key every scoped query filters on. */
  scope: string[];
  /** 消防安全重点单位: what required training and compliance queries single out. */
  keyUnit: boolean;
  /** 高层建筑 (derived by entities from height and use, whatever the category). */
  highRise: boolean;
  /** 经营性自建房 with 10 or more people (derived by entities); absent in views written before it was kept. */
  selfBuiltTarget?: boolean;
  /** 行业主管部门, when the unit has one: compliance is also reported per department. */
  supervisingDepartment?: string;
  status: 'active' | 'deregistered';
  demo: boolean;
}

export interface RegistryJurisdictionDoc {
  _id: string;
  name: string;
  level: string;
  parentCode?: string;
}

/** Credit code → unit id, so a caller naming a unit by its credit code costs one point read. */
export interface UnitCodeDoc {
  _id: string;
  unitId: string;
}

export interface RegistryModels {
  units: Model<RegistryUnitDoc>;
  jurisdictions: Model<RegistryJurisdictionDoc>;
  unitCodes: Model<UnitCodeDoc>;
}

const opts = { versionKey: false, minimize: false } as const;

const unitSchema = new Schema<RegistryUnitDoc>(
  {
    _id: String,
    version: Number,
    name: String,
    creditCode: String,
    category: String,
    countyCode: String,
    townshipCode: String,
    villageCode: String,
    gridCode: String,
    scope: [String],
    keyUnit: Boolean,
    highRise: Boolean,
    selfBuiltTarget: Boolean,
    supervisingDepartment: String,
    status: String,
    demo: Boolean,
  },
  opts,
);
// Units are listed by jurisdiction (campaign targets, an agency's demo units) and the demo loaders
// count the demo units while they wait for the projection.
unitSchema.index({ scope: 1, status: 1, category: 1 });
unitSchema.index({ demo: 1, status: 1, scope: 1 });
// Training's compliance lists walk the key units of a jurisdiction.
unitSchema.index({ keyUnit: 1, scope: 1, _id: 1 });

const jurisdictionSchema = new Schema<RegistryJurisdictionDoc>(
  { _id: String, name: String, level: String, parentCode: String },
  opts,
);
const unitCodeSchema = new Schema<UnitCodeDoc>({ _id: String, unitId: String }, opts);

/** The registry models on a service's connection. */
export function registryModels(conn: Connection): RegistryModels {
  return {
    units: conn.model<RegistryUnitDoc>('RegistryUnit', unitSchema, 'units'),
    jurisdictions: conn.model<RegistryJurisdictionDoc>('RegistryJurisdiction', jurisdictionSchema, 'jurisdictions'),
    unitCodes: conn.model<UnitCodeDoc>('RegistryUnitCode', unitCodeSchema, 'unit_codes'),
  };
}
