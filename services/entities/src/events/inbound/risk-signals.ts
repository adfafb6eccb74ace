import type { TopicDef } from '@firegov/contracts';
import { startConsumer, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { SignalChange } from '../../domain/signals.ts';
import type { UnitService } from '../../service/units.ts';

/**
 * How another service's events move a unit's risk grade: each source maps one of its topic's
 * events to a change of the unit's signals, or to nothing (sources.ts lists them).
 */
export interface SignalSource<T extends TopicDef = TopicDef> {
  topic: T;
  toChange(event: ConsumedEvent<T>): SignalChange | null;
}

/** Erases a source's topic type so sources of different topics share one list. */
export const signalSource = <T extends TopicDef>(source: SignalSource<T>): SignalSource => source as unknown as SignalSource;

/**
 * One consumer group over every source's topic. Each event is one call on the units service, which
 * folds it in at most once per event id (a redelivery changes nothing) and dead-letters an event
 * about a unit it does not know (NOT_FOUND is permanent).
 */
export async function startRiskSignalConsumer(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  units: Pick<UnitService, 'applyRiskSignal'>;
  sources: readonly SignalSource[];
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer | undefined> {
  if (opts.sources.length === 0) return undefined;
  const byTopic = new Map(opts.sources.map((s) => [s.topic.name, s]));
  return startConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'entities.risk-signals',
    topics: opts.sources.map((s) => s.topic),
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      const change = byTopic.get(event.topic)?.toChange(event);
      if (change) await opts.units.applyRiskSignal(event.id, change);
    },
  });
}
