import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectMongo, connectRedis, type Logger, type Redis } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { InspectionsEnv } from './env.ts';
import { hazardIndex, type HazardIndex } from './store/hazard-index.ts';
import { ensureIndexes, inspectionsModels, outboxCollections, type InspectionsModels } from './store/models.ts';

export interface InspectionsRuntime {
  conn: Connection;
  models: InspectionsModels;
  redis: Redis;
  index: HazardIndex;
  kafka: Kafka;
  publisher: Publisher;
  relay: OutboxRelay;
}

/** Connects to the store, Redis and Kafka and starts the outbox relay. */
export async function startRuntime(env: InspectionsEnv, logger: Logger): Promise<InspectionsRuntime> {
  const conn = await connectMongo(env.MONGO_URL, env.MONGO_DB, logger);
  const models = inspectionsModels(conn);
  await ensureIndexes(models);
  const redis = await connectRedis(env.REDIS_URL, logger);
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID ?? 'inspections', logger });
  const publisher = await createPublisher({ kafka, source: 'inspections', topicPrefix: env.KAFKA_TOPIC_PREFIX });
  const relay = startOutboxRelay({
    collections: outboxCollections(models),
    publisher,
    logger,
    sweepIntervalMs: env.OUTBOX_SWEEP_MS,
  });
  return { conn, models, redis, index: hazardIndex(env.REDIS_KEY_PREFIX), kafka, publisher, relay };
}

/** Closes in the stated order: relay flushes, then producer, Redis and the store. */
export async function stopRuntime(rt: InspectionsRuntime): Promise<void> {
  await rt.relay.stop();
  await rt.publisher.disconnect();
  rt.redis.disconnect();
  await rt.conn.close();
}
