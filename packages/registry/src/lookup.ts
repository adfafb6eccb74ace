import type { RegistryModels, RegistryUnitDoc } from './models.ts';

/** Reads of the registry view: point reads by id, by ids, and by credit code. */
export function registryLookup(models: RegistryModels) {
  return {
    unit: (id: string) => models.units.findById(id).lean<RegistryUnitDoc>(),
    units: async (ids: readonly string[]) =>
      ids.length === 0 ? [] : models.units.find({ _id: { $in: [...ids] } }).lean<RegistryUnitDoc[]>(),
    /** The unit id a 统一社会信用代码 names, if the registry knows it. */
    unitIdByCreditCode: async (creditCode: string): Promise<string | undefined> =>
      (await models.unitCodes.findById(creditCode).lean())?.unitId,
    jurisdictionName: async (code: string): Promise<string | undefined> =>
      (await models.jurisdictions.findById(code).lean())?.name,
  };
}

export type RegistryLookup = ReturnType<typeof registryLookup>;
