import { unitTopic, type TopicDef, type UnitSnapshot } from '@firegov/contracts';
import { startConsumer, withDocumentLock, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { AssessmentModels, UnitRefDoc } from '../store/models.ts';

export function unitRef(s: UnitSnapshot): UnitRefDoc {
  return {
    _id: s.id,
    version: s.version,
    name: s.name,
    ...(s.creditCode ? { creditCode: s.creditCode } : {}),
    category: s.category,
    villageCode: s.villageCode,
    scope: [s.countyCode, s.townshipCode, s.villageCode, ...(s.gridCode ? [s.gridCode] : [])],
    status: s.status,
    demo: s.demo,
  };
}

/**
 * Keeps the newest snapshot of each unit, and a credit code → unit id entry so an agency may name
 * a unit by its 统一社会信用代码 with one point read.
 */
export async function upsertUnit(models: AssessmentModels, s: UnitSnapshot): Promise<boolean> {
  return withDocumentLock(models.units.collection.collectionName, s.id, async () => {
    const current = await models.units
      .findById(s.id)
      .select({ version: 1, creditCode: 1 })
      .lean<Pick<UnitRefDoc, 'version' | 'creditCode'>>();
    if (current && current.version >= s.version) return false;
    const ref = unitRef(s);
    if (current?.creditCode && current.creditCode !== ref.creditCode) {
      await models.unitCodes.collection.deleteOne({ _id: current.creditCode } as never);
    }
    if (ref.creditCode) {
      await models.unitCodes.collection.replaceOne(
        { _id: ref.creditCode } as never,
        { _id: ref.creditCode, unitId: s.id },
        { upsert: true },
      );
    }
    await models.units.collection.replaceOne({ _id: s.id } as never, ref, { upsert: true });
    return true;
  });
}

export async function startRegistryProjection(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: AssessmentModels;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'assessment.registry',
    topics: [unitTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    fromBeginning: true,
    partitionsConsumedConcurrently: 2,
    handler: async (raw) => {
      const event = raw as unknown as ConsumedEvent<typeof unitTopic>;
      if (event.type === 'entities.unit.risk_graded') return;
      await upsertUnit(opts.models, event.data);
    },
  });
}
