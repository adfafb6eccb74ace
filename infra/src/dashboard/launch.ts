import path from 'node:path';
import { childEnv, type StackEnv } from '../env.ts';
import { spawnLogged, stopChild, waitReady } from '../platform.ts';
import { isAbort } from '../run-logged.ts';

export interface RunningDashboard {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the operators' dashboard (main.ts) against the stack's Prometheus and Jaeger, as `npm start` does once
 * Prometheus answers; its log is `logDir/dashboard.log`. Rejects, leaving nothing running, when
 * the port is taken or the process does not answer.
 */
export async function launchDashboard(o: { stack: StackEnv; logDir: string; signal?: AbortSignal }): Promise<RunningDashboard> {
  const port = o.stack.STACK_DASHBOARD_PORT;
  const url = `http://127.0.0.1:${port}`;
  // Something already answering there would pass the readiness wait for a child that failed to listen.
  const taken = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${port} already answers (another dashboard?); set STACK_DASHBOARD_PORT to run it elsewhere`);
  const env = childEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    PROMETHEUS_URL: `http://127.0.0.1:${o.stack.STACK_PROMETHEUS_PORT}`,
    // The traces view reads the stack's Jaeger, whenever it comes up (it may be built after the dashboard starts).
    JAEGER_URL: `http://127.0.0.1:${o.stack.STACK_JAEGER_UI_PORT}`,
  });
  const child = spawnLogged('dashboard', 'infra/src/dashboard/main.ts', [], env, o.logDir, o.stack.repoRoot);
  try {
    await waitReady('dashboard', `${url}/healthz`, child, path.join(o.logDir, 'dashboard.log'), o.signal, 30_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { url: `${url}/`, stop: () => stopChild(child) };
}

export interface DashboardFollower {
  /** Prometheus answers: start the dashboard, once; a failure is said, never thrown. */
  prometheusReady(): void;
  /** The start banner's line: the URL, or why there is none (waits for a start in progress). */
  bannerLine(prometheusFailed: boolean): Promise<string>;
  /** From now on a dashboard that comes up is announced as it does. */
  bannerShown(): void;
  /** Stops the dashboard, and any start still to come. */
  stop(): Promise<void>;
}

/**
 * The dashboard as `npm start` runs it: it charts what Prometheus holds, so it starts when
 * Prometheus answers (which may be long after the platform, on a first build); when it or
 * Prometheus fails, that is said and the platform runs on without it.
 */
export function dashboardFollowingPrometheus(o: {
  stack: StackEnv;
  logDir: string;
  signal: AbortSignal;
  say: (msg: string) => void;
  launch?: typeof launchDashboard;
}): DashboardFollower {
  const launch = o.launch ?? launchDashboard;
  let running: Promise<RunningDashboard | undefined> | undefined;
  let announce = false;
  let stopped = false;
  return {
    prometheusReady() {
      if (stopped || running) return;
      running = launch({ stack: o.stack, logDir: o.logDir, signal: o.signal }).then(
        (d) => {
          if (announce) o.say(`The operators' dashboard is ready: ${d.url}`);
          return d;
        },
        (err: unknown) => {
          if (!isAbort(err))
            o.say(`The operators' dashboard could not be started: ${(err as Error).message}; the platform keeps running.`);
          return undefined;
        },
      );
    },
    async bannerLine(prometheusFailed) {
      const d = await running;
      if (d) return d.url;
      if (running || prometheusFailed) return 'not available (see above)';
      return `http://127.0.0.1:${o.stack.STACK_DASHBOARD_PORT}/ once Prometheus is ready (announced here)`;
    },
    bannerShown() {
      announce = true;
    },
    async stop() {
      stopped = true;
      await (await running)?.stop();
    },
  };
}
