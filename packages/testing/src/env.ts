import { envFragments, parseEnv } from '@firegov/kit';
import { z } from 'zod';

// Integration tests reach the local stack at the same defaults the stack starts with.
export const testEnv = parseEnv(
  z.object({
    KAFKA_BROKERS: envFragments.kafka.KAFKA_BROKERS,
    MONGO_URL: envFragments.mongo.MONGO_URL,
    REDIS_URL: envFragments.redis.REDIS_URL,
    // Tests run quiet; set TEST_LOG_LEVEL=debug to see what the code under test logs.
    TEST_LOG_LEVEL: envFragments.common.LOG_LEVEL.default('silent'),
    // promtool, which `npm test` builds before jest starts (infra/src/provision.ts ensurePromtool).
    PROMTOOL: z.string().min(1).optional(),
    // Jaeger, which `npm test` builds too (ensureJaeger): the end-to-end trace test reads its query API.
    JAEGER_BIN: z.string().min(1).optional(),
  }),
);
