import type { ReadinessCheck } from '@firegov/kit';
import { Kafka, logLevel, type Admin, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkajs behind the project's own events package: nothing else in the repo imports kafkajs directly. */
export function createKafka(opts: { brokers: string[]; clientId: string; logger?: Logger }): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator: opts.logger ? pinoLogCreator(opts.logger) : undefined,
  });
}

function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () => (entry: LogEntry) => {
    const { message, ...extra } = entry.log;
    const fields = { namespace: entry.namespace, ...extra };
    if (entry.level === logLevel.ERROR) child.error(fields, message);
    else if (entry.level === logLevel.WARN) child.warn(fields, message);
    else if (entry.level === logLevel.INFO) child.info(fields, message);
    else child.debug(fields, message);
  };
}

export function topicName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/** Readiness: the cluster answers metadata. The admin client is connected lazily and kept. */
export function kafkaReadiness(kafka: Kafka): ReadinessCheck & { close(): Promise<void> } {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check() {
      if (!admin) {
        const candidate = kafka.admin({ retry: { retries: 0 } });
        await candidate.connect();
        admin = candidate;
      }
      try {
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
      } catch (err) {
        // Drop the client so the next probe reconnects instead of reusing a dead connection.
        const dead = admin;
        admin = undefined;
        await dead.disconnect().catch(() => undefined);
        throw err;
      }
    },
    async close() {
      await admin?.disconnect();
      admin = undefined;
    },
  };
}

/**
 * Creates the topics that do not exist yet (3 partitions unless said otherwise; the broker's
 * replication default). A consumer subscribing to a topic its producer has not written yet —
 * entities listening for hazards before inspections ever started — otherwise fails with
 * UNKNOWN_TOPIC_OR_PARTITION. Concurrent creators are fine: "already exists" is success.
 */
export async function ensureTopicsExist(kafka: Kafka, topics: readonly string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    try {
      // Not `waitForLeaders`: kafkajs polls for leaders in a loop whose metadata errors escape as an
      // unhandled rejection (UNKNOWN_TOPIC_OR_PARTITION while another process creates the same
      // topic), which ends the process. Leaders are awaited below, with errors caught.
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions })), waitForLeaders: false });
    } catch (err) {
      if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
    }
    await waitForLeaders(admin, missing);
  } finally {
    await admin.disconnect();
  }
}

const LEADER_WAIT_MS = 15_000;

/** Until every partition of `topics` has a leader (a fresh topic has none for a moment), or 15 s. */
async function waitForLeaders(admin: ReturnType<Kafka['admin']>, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      // Metadata of a topic being created is briefly unknown to the broker: asked again below.
      if (Date.now() >= deadline) throw err;
    }
    if (Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
