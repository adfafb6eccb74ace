import { unitTopic, type UnitSnapshot } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { UnitDoc } from '../store/models.ts';

export const SOURCE = 'entities';

/** The unit as other services see it: no personal data. */
export function unitSnapshot(doc: UnitDoc): UnitSnapshot {
  return {
    id: doc._id,
    version: doc.version,
    name: doc.name,
    ...(doc.creditCode ? { creditCode: doc.creditCode } : {}),
    category: doc.category as UnitSnapshot['category'],
    countyCode: doc.countyCode,
    townshipCode: doc.townshipCode,
    villageCode: doc.villageCode,
    ...(doc.gridCode ? { gridCode: doc.gridCode } : {}),
    address: doc.address,
    ...(doc.location?.lat !== undefined ? { location: doc.location } : {}),
    buildingUse: doc.buildingUse,
    floors: doc.floors,
    undergroundFloors: doc.undergroundFloors,
    heightM: doc.heightM,
    occupancy: doc.occupancy,
    keyUnit: doc.keyUnit,
    highRise: doc.highRise,
    selfBuiltTarget: doc.selfBuiltTarget,
    ...(doc.supervisingDepartment ? { supervisingDepartment: doc.supervisingDepartment } : {}),
    riskGrade: doc.risk.grade as UnitSnapshot['riskGrade'],
    riskScore: doc.risk.score,
    status: doc.status,
    demo: doc.demo,
  };
}

export function unitRiskEntry(doc: UnitDoc, previousGrade?: string): OutboxEntry {
  return outboxEntry(unitTopic, SOURCE, {
    type: 'entities.unit.risk_graded',
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      villageCode: doc.villageCode,
      score: doc.risk.score,
      grade: doc.risk.grade as UnitSnapshot['riskGrade'],
      ...(previousGrade ? { previousGrade: previousGrade as UnitSnapshot['riskGrade'] } : {}),
      factors: doc.risk.factors,
    },
  });
}
