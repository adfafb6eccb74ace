import { sensorsAlarmTopic, type AlarmSnapshot } from '@firegov/contracts';
import { startConsumer, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import { createPubSub, filter, pipe } from 'graphql-yoga';
import type { Kafka } from 'kafkajs';
import { hostname } from 'node:os';

export interface LiveAlarm extends AlarmSnapshot {
  event: string;
}

/**
 * Live alarms for subscriptions: every replica reads the alarm topic itself (its own consumer group,
 * from the latest offset), so a subscriber sees every alarm whichever replica raised it, and sees it
 * only once it is on Kafka — the same moment every other consumer learns of it.
 */
export function alarmFeed() {
  const pubsub = createPubSub<{ alarm: [LiveAlarm] }>();
  return {
    publish: (a: LiveAlarm) => pubsub.publish('alarm', a),
    /** Alarm events inside `jurisdiction` (the caller's: never a code the caller sends). */
    subscribe: (jurisdiction: string, only?: { unitId?: string | undefined; severities?: readonly string[] | undefined }) =>
      pipe(
        pubsub.subscribe('alarm'),
        filter(
          (a: LiveAlarm) =>
            a.scope.includes(jurisdiction) &&
            (!only?.unitId || a.unitId === only.unitId) &&
            (!only?.severities || only.severities.length === 0 || only.severities.includes(a.severity)),
        ),
      ),
  };
}

export type AlarmFeed = ReturnType<typeof alarmFeed>;

/** Event ids remembered to drop redeliveries: far more than arrive between a send and its resend. */
const RECENT_EVENT_IDS = 10_000;

export function startAlarmFeed(opts: {
  feed: AlarmFeed;
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  topicPrefix?: string;
}): Promise<RunningConsumer> {
  // The outbox relay delivers at least once (a kick and a sweep may both send a step): a person
  // watching the feed sees each step once.
  const recent = new Set<string>();
  return startConsumer({
    kafka: opts.kafka,
    // One group per process: each replica must see every alarm, not a share of them.
    groupId: `sensors.live.${hostname()}.${process.pid}.${Date.now().toString(36)}`,
    topics: [sensorsAlarmTopic],
    fromBeginning: false,
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      if (recent.has(event.id)) return;
      recent.add(event.id);
      if (recent.size > RECENT_EVENT_IDS) recent.delete(recent.values().next().value as string);
      opts.feed.publish({ ...event.data, event: event.type });
    },
  });
}
