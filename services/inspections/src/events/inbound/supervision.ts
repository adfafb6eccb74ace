import { inspectionTopic, unitTopic, type TopicDef } from '@firegov/contracts';
import { startConsumer, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { SupervisionService } from '../../service/supervision.ts';

type SupervisionEvent = ConsumedEvent<typeof unitTopic> | ConsumedEvent<typeof inspectionTopic>;

/**
 * Keeps the inspection schedules (分级分类监管) from the registry's unit events and this service's
 * own inspection events. Every step is idempotent (same grade, same place, an inspection no newer
 * than the last one: nothing changes), so redeliveries and the replay of a new group are harmless.
 */
export async function handleSupervisionEvent(supervision: SupervisionService, event: SupervisionEvent): Promise<void> {
  switch (event.type) {
    case 'entities.unit.registered':
    case 'entities.unit.updated':
    case 'entities.unit.deregistered':
      await supervision.applyUnit(event.data, event.time);
      return;
    case 'entities.unit.risk_graded':
      await supervision.applyGrade(event.data.id, event.data.grade, event.time);
      return;
    case 'inspections.inspection.recorded':
      await supervision.applyInspection(event.data.unitId, event.data.kind, event.data.inspectedAt);
      return;
  }
}

/** Group `inspections.supervision`; replays from the beginning when new, so schedules catch up on the registry. */
export async function startSupervisionConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  supervision: SupervisionService;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'inspections.supervision',
    topics: [unitTopic, inspectionTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    fromBeginning: true,
    handler: async (event) => {
      // Each event was checked against its own topic's schema; the per-topic union is restored here.
      await handleSupervisionEvent(opts.supervision, event as unknown as SupervisionEvent);
    },
  });
}
