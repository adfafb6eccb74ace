// The drill's own Kafka, FerretDB and Redis: the stack's components on ports and in a data folder of
// their own, so restarting a broker or stopping Redis never touches the stack a person (or
// `npm start`) is using. Builds come from the shared cache, so a warm machine starts it in seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allComponents, type Component } from '../../infra/src/components.ts';
import { loadStackEnv, type StackEnv } from '../../infra/src/env.ts';
import { down, up } from '../../infra/src/stack.ts';

export interface DrillStack {
  env: StackEnv;
  brokers: string[];
  mongoUrl: string;
  redisUrl: string;
  /** Stops one component (as its supervisor would: SIGTERM, then SIGKILL after a grace). */
  stop(name: 'kafka' | 'ferretdb' | 'redis'): Promise<void>;
  /** Starts it again and resolves when it answers. */
  start(name: 'kafka' | 'ferretdb' | 'redis'): Promise<void>;
  /** Stops everything and deletes the data folder. */
  destroy(): Promise<void>;
}

const component = (name: string): Component => {
  const c = allComponents.find((x) => x.name === name);
  if (!c) throw new Error(`no stack component ${name}`);
  return c;
};

export async function startDrillStack(
  repoRoot: string,
  ports: { kafka: number; controller: number; mongo: number; redis: number },
): Promise<DrillStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firegov-drill-'));
  const env = loadStackEnv(repoRoot, {
    ...process.env,
    FIREGOV_DATA: dataDir,
    STACK_KAFKA_PORT: String(ports.kafka),
    STACK_KAFKA_CONTROLLER_PORT: String(ports.controller),
    STACK_MONGO_PORT: String(ports.mongo),
    STACK_REDIS_PORT: String(ports.redis),
    STACK_JAEGER: '0',
    STACK_PROMETHEUS: '0',
  });
  const destroy = async () => {
    await down(env);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await up(env);
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    env,
    brokers: [`127.0.0.1:${ports.kafka}`],
    mongoUrl: `mongodb://127.0.0.1:${ports.mongo}`,
    redisUrl: `redis://127.0.0.1:${ports.redis}`,
    stop: (name) => down(env, [name]),
    async start(name) {
      await up(env, { components: [component(name)] });
    },
    destroy,
  };
}
