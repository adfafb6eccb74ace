import { householdTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { VisitService } from '../../service/visits.ts';

/**
 * Households entities looks after (firegov.entities.households.v1): each announcement is one call
 * that projects it for door-knocking coverage and the priority list, once per event id. A new
 * group replays the topic from the start, so a fresh deployment learns every household.
 */
export function startHouseholdProjection(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  visits: Pick<VisitService, 'projectHousehold'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'training.households',
    topics: [householdTopic],
    fromBeginning: true,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      await opts.visits.projectHousehold(event.id, event.data);
    },
  });
}
