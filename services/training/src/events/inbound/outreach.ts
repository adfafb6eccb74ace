import type { Publisher } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { OutreachServices } from '../../service/outreach.ts';
import { startFireTeamProjection } from './fire-teams.ts';
import { startHouseholdProjection } from './households.ts';

/** The outreach area's consumers (households for door knocking, fire teams for team training), as workers. */
export async function startOutreachConsumers(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  services: Pick<OutreachServices, 'visits' | 'teamTraining'>;
  topicPrefix?: string;
}): Promise<Array<{ name: string; stop: () => Promise<void> }>> {
  const common = {
    kafka: opts.kafka,
    publisher: opts.publisher,
    logger: opts.logger,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
  };
  const households = await startHouseholdProjection({ ...common, visits: opts.services.visits });
  const teams = await startFireTeamProjection({ ...common, teams: opts.services.teamTraining });
  return [
    { name: 'households projection', stop: () => households.stop() },
    { name: 'fire teams projection', stop: () => teams.stop() },
  ];
}
