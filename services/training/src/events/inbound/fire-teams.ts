import { fireForceTopic } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { TeamTrainingService } from '../../service/team-training.ts';

/**
 * Village fire teams entities registers (firegov.entities.fireforces.v1): projected so a training
 * session is scoped by its team's village, once per event id; replayed from the start for a new group.
 */
export function startFireTeamProjection(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  teams: Pick<TeamTrainingService, 'projectFireTeam'>;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'training.fire-teams',
    topics: [fireForceTopic],
    fromBeginning: true,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      // A county's readiness targets ride the same topic; they are not a team.
      if (event.type === 'entities.fireforce.readiness_policy_changed') return;
      await opts.teams.projectFireTeam(event.id, event.data);
    },
  });
}
