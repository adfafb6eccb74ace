import { deriveFlags } from '../domain/derived.ts';
import { gradeRisk, type RiskSignals, type RiskUnit } from '../domain/risk.ts';
import { nameGrams } from '../domain/search-grams.ts';
import type { RegisterUnitInput } from '../domain/units.ts';
import type { UnitDoc } from '../store/models.ts';
import type { Place } from './places.ts';

// Unit documents as the commands build them: derived flags and the risk grade always follow the
// fields they are derived from.

/** The unit's derived flags and its risk grade from its fields and signals, graded at `now`. */
export function assess(unit: RiskUnit, signals: RiskSignals, now: Date) {
  const flags = deriveFlags(unit);
  const risk = gradeRisk(unit, signals, now);
  return { flags, risk: { score: risk.score, grade: risk.grade, factors: risk.factors, gradedAt: now.toISOString() } };
}

export function newUnitDoc(id: string, input: RegisterUnitInput, place: Place, now: Date): UnitDoc {
  const { flags, risk } = assess(input, {}, now);
  return {
    _id: id,
    version: 1,
    status: 'active',
    name: input.name,
    nameGrams: nameGrams(input.name),
    ...(input.creditCode ? { creditCode: input.creditCode } : {}),
    category: input.category,
    ...place,
    ...(input.gridCode ? { gridCode: input.gridCode } : {}),
    address: input.address,
    ...(input.location ? { location: input.location } : {}),
    buildingUse: input.buildingUse,
    floors: input.floors,
    undergroundFloors: input.undergroundFloors,
    heightM: input.heightM,
    ...(input.areaM2 !== undefined ? { areaM2: input.areaM2 } : {}),
    occupancy: input.occupancy,
    responsiblePerson: input.responsiblePerson,
    ...(input.manager ? { manager: input.manager } : {}),
    ...(input.supervisingDepartment ? { supervisingDepartment: input.supervisingDepartment } : {}),
    keyUnit: input.keyUnit,
    ...(input.insurance ? { insurance: input.insurance } : {}),
    publicCommitment: input.publicCommitment,
    highRise: flags.highRise,
    ...(flags.highRiseReason ? { highRiseReason: flags.highRiseReason } : {}),
    selfBuiltTarget: flags.selfBuiltTarget,
    risk,
    signals: {},
    demo: input.demo,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}
