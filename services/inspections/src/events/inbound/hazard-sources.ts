import { assessmentTopic, sensorFaultTopic, trainingOutreachTopic, type TopicDef } from '@firegov/contracts';
import { PermanentError, startConsumer, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { NewHazard } from '../../domain/hazards.ts';
import type { HazardService } from '../../service/hazards.ts';
import { hazardsFromAssessment } from './assessment.ts';
import { hazardsFromDrill } from './drills.ts';
import { closeFaultHazard, hazardFromFault } from './sensors.ts';

export type HazardSourceEvent =
  ConsumedEvent<typeof assessmentTopic> | ConsumedEvent<typeof sensorFaultTopic> | ConsumedEvent<typeof trainingOutreachTopic>;

function propose(
  event: Exclude<HazardSourceEvent, { type: 'sensors.fault.resolved' }>,
): { unitId: string; hazards: NewHazard[] } | null {
  switch (event.type) {
    case 'sensors.fault.persisted':
      return hazardFromFault(event);
    case 'training.drill.recorded':
    case 'training.team_session.recorded':
      return hazardsFromDrill(event);
    default:
      return hazardsFromAssessment(event);
  }
}

/**
 * Hazards other services report — an agency's assessment findings, persistent sensor faults, a unit
 * drill's findings (training) — each
 * mapped to one call of the hazard service. Duplicates are the service's to refuse: the hazard ids
 * derive from the source record (a redelivery, or an amended assessment with a new event id, finds
 * the hazard already stored). A resolved sensor fault closes its hazard instead. Resolves with the
 * number of hazards created.
 */
export async function handleHazardSource(hazards: HazardService, event: HazardSourceEvent): Promise<number> {
  if (event.type === 'sensors.fault.resolved') {
    await closeFaultHazard(hazards, event);
    return 0;
  }
  const proposed = propose(event);
  if (!proposed) return 0;
  const created = await hazards.importFromSource(proposed.unitId, proposed.hazards);
  // Permanent: retrying will not make the unit exist; the dead letter can be replayed once it does.
  if (created === null) throw new PermanentError(`unit ${proposed.unitId} is not in the registry`);
  return created;
}

/** One consumer group over the source topics (its offsets are those of the earlier single module). */
export async function startInboundHazards(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  hazards: HazardService;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'inspections.inbound-hazards',
    topics: [assessmentTopic, sensorFaultTopic, trainingOutreachTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      // The consumer checked each event against its own topic's schema; TopicEvent does not
      // distribute over a union of topics, so the per-topic union is restored here.
      await handleHazardSource(opts.hazards, event as unknown as HazardSourceEvent);
    },
  });
}
