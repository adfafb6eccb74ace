import { jurisdictionTopic, unitTopic, type JurisdictionSnapshot, type TopicDef, type UnitSnapshot } from '@firegov/contracts';
import { startConsumer, withDocumentLock, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { RegistryJurisdictionDoc, RegistryModels, RegistryUnitDoc } from './models.ts';

/** The registry view of a unit snapshot. */
export function unitRef(s: UnitSnapshot): RegistryUnitDoc {
  return {
    _id: s.id,
    version: s.version,
    name: s.name,
    ...(s.creditCode ? { creditCode: s.creditCode } : {}),
    category: s.category,
    countyCode: s.countyCode,
    townshipCode: s.townshipCode,
    villageCode: s.villageCode,
    ...(s.gridCode ? { gridCode: s.gridCode } : {}),
    scope: [s.countyCode, s.townshipCode, s.villageCode, ...(s.gridCode ? [s.gridCode] : [])],
    keyUnit: s.keyUnit,
    highRise: s.highRise,
    selfBuiltTarget: s.selfBuiltTarget,
    ...(s.supervisingDepartment ? { supervisingDepartment: s.supervisingDepartment } : {}),
    status: s.status,
    demo: s.demo,
  };
}

export const jurisdictionRef = (d: JurisdictionSnapshot): RegistryJurisdictionDoc => ({
  _id: d.code,
  name: d.name,
  level: d.level,
  ...(d.parentCode ? { parentCode: d.parentCode } : {}),
});

/**
 * Keeps the newest snapshot of each unit (snapshots are whole, so a redelivery or an older one
 * changes nothing) and its credit code entry. Resolves true when the snapshot was newer.
 */
export async function upsertUnit(models: RegistryModels, s: UnitSnapshot): Promise<boolean> {
  return withDocumentLock(models.units.collection.collectionName, s.id, async () => {
    const current = await models.units
      .findById(s.id)
      .select({ version: 1, creditCode: 1, keyUnit: 1, selfBuiltTarget: 1 })
      .lean<Pick<RegistryUnitDoc, 'version' | 'creditCode' | 'selfBuiltTarget'> & { keyUnit?: boolean }>();
    // A view written before keyUnit or selfBuiltTarget was kept fills it in from a redelivery of the same version.
    const complete = current?.keyUnit !== undefined && current.selfBuiltTarget !== undefined;
    const stale = current && (current.version > s.version || (current.version === s.version && complete));
    if (stale) return false;
    const ref = unitRef(s);
    if (current?.creditCode && current.creditCode !== ref.creditCode)
      await models.unitCodes.deleteOne({ _id: current.creditCode });
    if (ref.creditCode)
      await models.unitCodes.replaceOne({ _id: ref.creditCode }, { _id: ref.creditCode, unitId: s.id }, { upsert: true });
    await models.units.replaceOne({ _id: s.id }, ref, { upsert: true });
    return true;
  });
}

export async function upsertJurisdiction(models: RegistryModels, d: JurisdictionSnapshot): Promise<void> {
  await models.jurisdictions.replaceOne({ _id: d.code }, jurisdictionRef(d), { upsert: true });
}

/**
 * Learns the registry from the entities topics: units (a record must name one that exists) and
 * jurisdiction names. Replays from the beginning when the group is new, so a fresh deployment
 * catches up on the whole registry. The group is `<service>.registry`.
 */
export async function startRegistryProjection(opts: {
  service: string;
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: RegistryModels;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? `${opts.service}.registry`,
    topics: [unitTopic, jurisdictionTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    fromBeginning: true,
    partitionsConsumedConcurrently: 2,
    handler: async (raw) => {
      const event = raw as unknown as ConsumedEvent<typeof unitTopic> | ConsumedEvent<typeof jurisdictionTopic>;
      switch (event.type) {
        case 'entities.unit.registered':
        case 'entities.unit.updated':
        case 'entities.unit.deregistered':
          await upsertUnit(opts.models, event.data);
          return;
        case 'entities.jurisdiction.registered':
          await upsertJurisdiction(opts.models, event.data);
          return;
        default:
          // risk_graded changes nothing the registry view keeps.
          return;
      }
    },
  });
}
