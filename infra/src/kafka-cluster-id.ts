import { randomBytes } from 'node:crypto';

/**
 * A KRaft cluster id: a UUID in base64url (22 characters) that, like Kafka's own
 * Uuid.randomUuid(), never starts with "-": `kafka-storage format -t -Ivm…` reads such an id as an
 * option and refuses to format (one fresh start in 64 failed that way).
 */
export function kafkaClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
