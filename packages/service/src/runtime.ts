import { connectMongo, connectRedis, ensureModelIndexes, type Logger, type Redis } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { createKafka, createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';

/** The connections every service holds: its store, Redis, Kafka, its publisher and outbox relay. */
export interface ServiceRuntime<M> {
  conn: Connection;
  models: M;
  redis: Redis;
  kafka: Kafka;
  publisher: Publisher;
  relay: OutboxRelay;
}

export interface RuntimeEnv {
  MONGO_URL: string;
  MONGO_DB: string;
  REDIS_URL: string;
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string | undefined;
  KAFKA_TOPIC_PREFIX: string;
  OUTBOX_SWEEP_MS: number;
}

/** What a service keeps in its store: its models, and the collections whose documents carry an outbox. */
export interface ServiceStore<M> {
  service: string;
  models: (conn: Connection) => M;
  outboxCollections: (models: M) => Array<Collection<Document>>;
}

/** Connects to the store (creating indexes), Redis and Kafka, and starts the outbox relay. */
export async function startServiceRuntime<M extends object>(
  o: ServiceStore<M> & { env: RuntimeEnv; logger: Logger },
): Promise<ServiceRuntime<M>> {
  const conn = await connectMongo(o.env.MONGO_URL, o.env.MONGO_DB, o.logger);
  const models = o.models(conn);
  await ensureModelIndexes(models);
  const redis = await connectRedis(o.env.REDIS_URL, o.logger);
  const kafka = createKafka({ brokers: o.env.KAFKA_BROKERS, clientId: o.env.KAFKA_CLIENT_ID ?? o.service, logger: o.logger });
  const publisher = await createPublisher({ kafka, source: o.service, topicPrefix: o.env.KAFKA_TOPIC_PREFIX });
  const relay = startOutboxRelay({
    collections: o.outboxCollections(models),
    publisher,
    logger: o.logger,
    sweepIntervalMs: o.env.OUTBOX_SWEEP_MS,
  });
  return { conn, models, redis, kafka, publisher, relay };
}

/** Closes in the stated order: relay flushes, then producer, Redis and the store. */
export async function stopServiceRuntime(rt: ServiceRuntime<unknown>): Promise<void> {
  await rt.relay.stop();
  await rt.publisher.disconnect();
  rt.redis.disconnect();
  await rt.conn.close();
}
