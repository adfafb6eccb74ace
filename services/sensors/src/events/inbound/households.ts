import { divisionScope, householdTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { SensorsModels } from '../../store/models.ts';

/**
 * Vulnerable households as entities announces them (group `sensors.households`): what a household
 * device is bound to and scoped by. Idempotent by construction (the same household replaces itself).
 */
export function startHouseholdView(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: Pick<SensorsModels, 'households'>;
  topicPrefix?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: 'sensors.households',
    topics: [householdTopic],
    fromBeginning: true,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async ({ data: h }) => {
      const scope = [...divisionScope(h.villageCode), ...(h.gridCode ? [h.gridCode] : [])];
      await opts.models.households.updateOne(
        { _id: h.id },
        { $set: { villageCode: h.villageCode, scope, ...(h.gridCode ? { gridCode: h.gridCode } : {}) } },
        { upsert: true },
      );
    },
  });
}
