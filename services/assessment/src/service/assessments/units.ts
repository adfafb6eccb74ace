import { AppError } from '@firegov/kit';
import type { UnitRef } from '../../domain/inputs.ts';
import type { AssessmentModels, UnitRefDoc } from '../../store/models.ts';

const TTL_MS = 5000;
const MAX_ENTRIES = 50_000;

/**
 * Units as the push path finds them in the registry projection: by id or, through `unit_codes`, by
 * credit code. Units change rarely and every push names one, so each is kept for a few seconds,
 * like agencies (agency-cache.ts).
 */
export function unitLookup(models: AssessmentModels) {
  const cache = new Map<string, { doc: UnitRefDoc | null; at: number }>();

  async function cachedById(id: string): Promise<UnitRefDoc | null> {
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.doc;
    const doc = await models.units.findById(id).lean<UnitRefDoc>();
    cache.set(id, { doc, at: Date.now() });
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    return doc;
  }

  return {
    /** The active unit a submission names; an unknown or deregistered one is a bad field. */
    async resolve(unit: UnitRef): Promise<UnitRefDoc> {
      let unitId = unit.unitId;
      if (!unitId && unit.creditCode) unitId = (await models.unitCodes.findById(unit.creditCode).lean())?.unitId;
      const doc = unitId ? await cachedById(unitId) : null;
      if (!doc || doc.status !== 'active') {
        throw new AppError('VALIDATION_FAILED', 'unknown unit', {
          details: [
            { path: unit.unitId ? '$.unit.unitId' : '$.unit.creditCode', reason: 'no active unit with this id in the registry' },
          ],
        });
      }
      return doc;
    },

    /** The unit of an existing assessment, read fresh (an amendment is authorized against it as it is now). */
    registered: (unitId: string): Promise<UnitRefDoc | null> => models.units.findById(unitId).lean<UnitRefDoc>(),
  };
}

export type UnitLookup = ReturnType<typeof unitLookup>;
