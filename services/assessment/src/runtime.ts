import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectMongo, connectRedis, type Logger, type Redis } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { AssessmentEnv } from './env.ts';
import { ensureIndexes, assessmentModels, outboxCollections, type AssessmentModels } from './store/models.ts';

export interface AssessmentRuntime {
  conn: Connection;
  models: AssessmentModels;
  redis: Redis;
  kafka: Kafka;
  publisher: Publisher;
  relay: OutboxRelay;
}

/** Connects to the store, Redis and Kafka and starts the outbox relay. */
export async function startRuntime(env: AssessmentEnv, logger: Logger): Promise<AssessmentRuntime> {
  const conn = await connectMongo(env.MONGO_URL, env.MONGO_DB, logger);
  const models = assessmentModels(conn);
  await ensureIndexes(models);
  const redis = await connectRedis(env.REDIS_URL, logger);
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID ?? 'assessment', logger });
  const publisher = await createPublisher({ kafka, source: 'assessment', topicPrefix: env.KAFKA_TOPIC_PREFIX });
  const relay = startOutboxRelay({
    collections: outboxCollections(models),
    publisher,
    logger,
    sweepIntervalMs: env.OUTBOX_SWEEP_MS,
  });
  return { conn, models, redis, kafka, publisher, relay };
}

/** Closes in the stated order: relay flushes, then producer, Redis and the store. */
export async function stopRuntime(rt: AssessmentRuntime): Promise<void> {
  await rt.relay.stop();
  await rt.publisher.disconnect();
  rt.redis.disconnect();
  await rt.conn.close();
}
