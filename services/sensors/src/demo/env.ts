import { loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';
import { sensorsEnv } from '../env.ts';

/**
 * The demo loader's and simulator's environment: the service's store, Redis and ports (npm start
 * gives them the service's own env), plus the demo gateway's client secret (npm start derives it).
 */
export const demoEnvSchema = sensorsEnv.toolSchema
  .pick({
    LOG_LEVEL: true,
    HOST: true,
    PORT: true,
    MONGO_URL: true,
    MONGO_DB: true,
    REDIS_URL: true,
    REDIS_KEY_PREFIX: true,
    GBT26875_PORT: true,
    GBT26875_HOST: true,
  })
  .extend({
    DEMO_GATEWAY_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters'),
    /** off: the loader registers the fleet and starts no simulator. */
    DEMO_SIMULATOR: z.enum(['on', 'off']).default('on'),
    /** The process whose end also ends the simulator (npm start); unset, it runs until stopped. */
    DEMO_PARENT_PID: z.coerce.number().int().positive().optional(),
  });

export type DemoEnv = z.infer<typeof demoEnvSchema>;

export const loadDemoEnv = (): DemoEnv => loadEnvOrExit(demoEnvSchema);

/** The service as the demo reaches it: its own port on this host. */
export const serviceUrlOf = (env: Pick<DemoEnv, 'HOST' | 'PORT'>): string =>
  `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;

/** The simulator's environment: this process's, plus the process whose end ends it. */
export const simulatorEnv = (parentPid: number): NodeJS.ProcessEnv => ({ ...process.env, DEMO_PARENT_PID: String(parentPid) });
