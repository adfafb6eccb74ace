import { jurisdictionTopic, unitTopic, type TopicDef, type UnitSnapshot } from '@firegov/contracts';
import { startConsumer, withDocumentLock, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { InspectionsModels, UnitRefDoc } from '../store/models.ts';

/** The unit as this service keeps it: enough to scope, snapshot and grade hazards. */
export function unitRef(s: UnitSnapshot): UnitRefDoc {
  return {
    _id: s.id,
    version: s.version,
    name: s.name,
    category: s.category,
    countyCode: s.countyCode,
    townshipCode: s.townshipCode,
    villageCode: s.villageCode,
    ...(s.gridCode ? { gridCode: s.gridCode } : {}),
    scope: [s.countyCode, s.townshipCode, s.villageCode, ...(s.gridCode ? [s.gridCode] : [])],
    status: s.status,
    demo: s.demo,
  };
}

/** Keeps the newest snapshot of each unit: snapshots are whole, so a redelivery or an older one changes nothing. */
export async function upsertUnit(models: InspectionsModels, s: UnitSnapshot): Promise<boolean> {
  return withDocumentLock(models.units.collection.collectionName, s.id, async () => {
    const current = await models.units.findById(s.id).select({ version: 1 }).lean<{ version: number }>();
    if (current && current.version >= s.version) return false;
    await models.units.collection.replaceOne({ _id: s.id } as never, unitRef(s), { upsert: true });
    return true;
  });
}

/**
 * Learns the registry from the entities topics: units (an inspection or hazard must name one that
 * exists) and jurisdiction names (snapshotted on inspections). Replays from the beginning when the
 * group is new, so a fresh deployment catches up on the whole registry.
 */
export async function startRegistryProjection(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: InspectionsModels;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'inspections.registry',
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
        case 'entities.jurisdiction.registered': {
          const d = event.data;
          await opts.models.jurisdictions.collection.replaceOne(
            { _id: d.code } as never,
            { _id: d.code, name: d.name, level: d.level, ...(d.parentCode ? { parentCode: d.parentCode } : {}) },
            { upsert: true },
          );
          return;
        }
        default:
          // risk_graded changes nothing this service keeps.
          return;
      }
    },
  });
}
