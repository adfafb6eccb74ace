import type { Identity } from '@firegov/auth';
import { validationFailed } from '@firegov/kit';
import type { InspectionsModels, UnitRefDoc, UnitSnapshotAtTheTime } from '../store/models.ts';
import { assertCan, type Action } from './access.ts';

/**
 * The registry as this service knows it: units and jurisdiction names learned from the entities
 * topics (@firegov/registry), never by reading the entities database.
 */
export async function unitForWrite(
  models: InspectionsModels,
  identity: Identity,
  unitId: string,
  action: Action,
  path = '$.unitId',
): Promise<UnitRefDoc> {
  const unit = await models.units.findById(unitId).lean<UnitRefDoc>();
  if (!unit || !unit.scope.includes(identity.jurisdiction)) {
    throw validationFailed([{ path, reason: `no unit ${unitId} in the registry within your jurisdiction` }], 'unknown unit');
  }
  if (unit.status !== 'active') {
    throw validationFailed([{ path, reason: `unit ${unitId} is deregistered` }], 'unit deregistered');
  }
  assertCan(identity, action, unit.scope);
  return unit;
}

export async function villageName(models: InspectionsModels, code: string): Promise<string> {
  const j = await models.jurisdictions.findById(code).lean();
  return j?.name ?? code;
}

/** The unit's name and village as they are now, kept on a record so it reads the same after a rename. */
export async function unitAsItIs(models: InspectionsModels, unit: UnitRefDoc): Promise<UnitSnapshotAtTheTime> {
  return {
    name: unit.name,
    category: unit.category,
    villageCode: unit.villageCode,
    villageName: await villageName(models, unit.villageCode),
  };
}
