import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ReadinessCheck } from './health.ts';
import { traceRedisCommands } from './store-tracing.ts';

export { Redis } from 'ioredis';

/** Connects and waits for the first PING, so a wrong REDIS_URL fails at start-up, not on first use. */
export async function connectRedis(url: string, logger?: Logger): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  client.on('error', (err: Error) => logger?.warn({ err: err.message }, 'redis error'));
  traceRedisCommands(client);
  await client.connect();
  await client.ping();
  return client;
}

export function redisReadiness(client: Redis): ReadinessCheck {
  return {
    name: 'redis',
    async check() {
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`unexpected reply ${JSON.stringify(pong)}`);
    },
  };
}
