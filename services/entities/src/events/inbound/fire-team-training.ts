import { trainingOutreachTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { RegistryService } from '../../service/registry.ts';

/**
 * Village fire teams' training sessions (training's outreach topic): each session is one call that
 * keeps it on its team, at most once per session id, so readiness counts the hours. Drills on the
 * same topic are inspections' business and change nothing here. A session for a team this
 * registry does not know is dead-lettered (NOT_FOUND is permanent).
 */
export function startFireTeamTrainingConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  registry: Pick<RegistryService, 'recordTeamTraining'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'entities.fire-team-training',
    topics: [trainingOutreachTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      if (event.type === 'training.team_session.recorded') await opts.registry.recordTeamTraining(event.data);
    },
  });
}
