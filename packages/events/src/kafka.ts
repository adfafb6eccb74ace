import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
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
