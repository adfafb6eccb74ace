import type { HazardSnapshot } from '@firegov/contracts';
import { isDuplicateKeyError, placementCounts, type Logger, type Placement, type Redis } from '@firegov/kit';
import { hazardPlacement, trainingPlacement } from '../domain/duty-score.ts';
import type { EntitiesModels, UnitDoc } from './models.ts';

/**
 * The counts the annual 考核 reads (domain/duty-score.ts), kept in Redis so a township's scores
 * read a hash per subject instead of every hazard and unit:
 * - hazards by the year they were found (found / open / overdue / closed), fed by the hazard
 *   events (events/inbound/duty-hazards.ts); each hazard's placement is also stored
 *   (`duty_hazards`, guarded by the hazard's version), which is what a rebuild reads;
 * - units by training (required / full), recorded after every unit write like the village counts.
 * Codes: `j:<county|township|village>` and `d:<supervising department>`.
 */
export interface DutyTallies {
  /** Counts a unit's training where it now belongs (never throws; the reconcile repairs). */
  recordUnit(doc: UnitDoc): Promise<void>;
  /** Keeps a hazard's placement as of its snapshot; an older version than the one kept changes nothing. */
  recordHazard(h: HazardSnapshot): Promise<void>;
  /** Cell → count under a code; null until the tallies are built. */
  hazards(code: string): Promise<Map<string, number> | null>;
  training(code: string): Promise<Map<string, number> | null>;
  rebuild(): Promise<number>;
  rebuildIfMissing(): Promise<void>;
}

const UNIT_FIELDS = {
  _id: 1,
  status: 1,
  countyCode: 1,
  townshipCode: 1,
  villageCode: 1,
  supervisingDepartment: 1,
  'signals.trainingCoverage': 1,
} as const;

export function dutyTallies(deps: { models: EntitiesModels; redis: Redis; prefix: string; logger: Logger }): DutyTallies {
  const { models, logger } = deps;
  const hazardCounts = placementCounts(deps.redis, { key: `${deps.prefix}duty:hazards`, logger });
  const trainingCounts = placementCounts(deps.redis, { key: `${deps.prefix}duty:training`, logger });

  async function* storedHazards(): AsyncIterable<{ id: string; placement: Placement | null }> {
    for await (const h of models.dutyHazards.find({}).lean<Array<{ _id: string; placement: Placement | null }>>().cursor())
      yield { id: h._id, placement: h.placement };
  }
  async function* units(): AsyncIterable<{ id: string; placement: Placement | null }> {
    for await (const u of models.units.find({}, UNIT_FIELDS).lean<UnitDoc[]>().cursor())
      yield { id: u._id, placement: trainingPlacement(u) };
  }
  const readyOr = async (counts: typeof hazardCounts, code: string) => ((await counts.ready()) ? counts.cells(code) : null);

  return {
    recordUnit: (doc) => trainingCounts.record(doc._id, trainingPlacement(doc)),
    async recordHazard(h) {
      const unit = await models.units
        .findById(h.unitId)
        .select({ supervisingDepartment: 1 })
        .lean<Pick<UnitDoc, 'supervisingDepartment'>>();
      const placement = hazardPlacement(h, unit?.supervisingDepartment);
      try {
        // The version guard keeps a redelivered older event from moving a hazard back.
        await models.dutyHazards.updateOne(
          { _id: h.id, version: { $lte: h.version } },
          { $set: { version: h.version, placement } },
          { upsert: true },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) return; // a newer version is kept already
        throw err;
      }
      await hazardCounts.record(h.id, placement);
    },
    hazards: (code) => readyOr(hazardCounts, code),
    training: (code) => readyOr(trainingCounts, code),
    async rebuild() {
      const [n] = await Promise.all([hazardCounts.rebuild(storedHazards()), trainingCounts.rebuild(units())]);
      return n;
    },
    async rebuildIfMissing() {
      if (!(await hazardCounts.ready()) || !(await trainingCounts.ready())) await this.rebuild();
    },
  };
}
