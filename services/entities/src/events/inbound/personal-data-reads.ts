import { personalDataReadTopics, type personalDataReadSchema, type TopicDef } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { PersonalDataTrail } from '../../store/personal-data-trail.ts';

// Every service's topic carries the one schema; seen that way, its event types are any string.
const TOPICS: Array<TopicDef<Record<string, typeof personalDataReadSchema>>> = Object.values(personalDataReadTopics);

/**
 * The county's audit trail of personal data shown unmasked, from every service that holds some
 * (entities' own answers included); its own group, so the trail never waits on the risk grades.
 */
export function startPersonalDataTrailConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  trail: Pick<PersonalDataTrail, 'record'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'entities.personal-data-trail',
    topics: TOPICS,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => opts.trail.record(event.data),
  });
}
