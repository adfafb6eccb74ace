import { hazardTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { DutyTallies } from '../../store/duty-tallies.ts';

/**
 * Hazards for the annual 考核: every hazard event carries the whole snapshot, so each one places
 * its hazard (found in which year, open, overdue or closed) afresh; its own group, so a slow or
 * failing tally never holds back the risk grades.
 */
export function startDutyHazardConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  duty: Pick<DutyTallies, 'recordHazard'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'entities.duty-tallies',
    topics: [hazardTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => opts.duty.recordHazard(event.data),
  });
}
