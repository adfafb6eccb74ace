import { sensorsReadingTopic, type TopicEvent } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { ReadingGroup, readingEvaluator } from '../../service/evaluator.ts';

type ReadingEvent = TopicEvent<typeof sensorsReadingTopic>;

/** Each device's readings in an event: a shard's batch holds several devices, the first layout one. */
export function readingGroupsOf(event: ReadingEvent): ReadingGroup[] {
  return event.type === 'sensors.readings.batch_accepted' ? event.data.devices : [event.data];
}

/**
 * The evaluator reads accepted readings a fetched batch at a time (group `sensors.evaluator`):
 * partitions are keyed by reading shard (or, as first published, by device), so one device's readings are applied in order by one replica,
 * which holds the device's live state in memory between checkpoints (see `readingEvaluator`).
 */
export function startReadingEvaluator(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  evaluator: ReturnType<typeof readingEvaluator>;
  topicPrefix?: string;
  /** 0: every batch is written through and committed; otherwise write-behind checkpoints on this period. */
  checkpointMs: number;
}): Promise<RunningConsumer> {
  return startConsumer({
    kafka: opts.kafka,
    groupId: 'sensors.evaluator',
    topics: [sensorsReadingTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    partitionsConsumedConcurrently: 3,
    handler: async (event) => {
      await opts.evaluator.apply(readingGroupsOf(event));
    },
    batchHandler: async (events) => {
      await opts.evaluator.apply(events.flatMap(readingGroupsOf));
    },
    ...(opts.checkpointMs > 0
      ? {
          checkpoint: {
            everyMs: opts.checkpointMs,
            flush: () => opts.evaluator.checkpoint(),
            reset: () => opts.evaluator.reset(),
          },
        }
      : {}),
  });
}
