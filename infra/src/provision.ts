import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StackEnv } from './env.ts';
import { applyFerretDbPatches, applySqliteDriverPatches, FERRETDB_PATCH_TAG, SQLITE_DRIVER_MODULE } from './ferretdb-patches.ts';
import { requiredModuleVersion } from './go-mod.ts';
import { step, type Say, type StepControl, type StepLabel } from './progress.ts';
import { runLogged, type RunOptions } from './run-logged.ts';

// Fetches and builds each component once into FIREGOV_CACHE (outside git) and reuses it after.
// Everything comes from the package registries this machine reaches: Maven Central, the Go
// module proxy and Debian. Tools run as child processes (never blocking the event loop), their
// output goes to FIREGOV_DATA/logs/provision-<component>.log, and a long step prints progress.

export interface ProvisionContext {
  env: StackEnv;
  say: Say;
  signal: AbortSignal;
  /** Built at lower CPU priority: nobody waits on it (an optional component building in the background). */
  background: boolean;
}

type Run = (cmd: string, args: string[], opts?: Pick<RunOptions, 'cwd' | 'env' | 'captureStdout'>) => Promise<string>;

export function provisionLog(env: StackEnv, name: string): string {
  return path.join(env.dataDir, 'logs', `provision-${name}.log`);
}

/** A long provisioning step of one component: progress lines, tools' output in its provision log. */
export async function provisionStep<T>(
  ctx: ProvisionContext,
  label: Omit<StepLabel, 'logPath'>,
  fn: (run: Run, control: StepControl) => Promise<T>,
): Promise<T> {
  const logPath = provisionLog(ctx.env, label.name);
  const run: Run = (cmd, args, opts = {}) => runLogged(cmd, args, { ...opts, logPath, signal: ctx.signal, nice: ctx.background });
  return step(ctx.say, { ...label, logPath }, ctx.env.STACK_HEARTBEAT_S * 1000, (control) => fn(run, control));
}

function which(bin: string): string | undefined {
  const res = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const out = res.stdout.trim();
  return res.status === 0 && out ? out : undefined;
}

// Two stacks (two checkouts, or a test) may provision at once: each builds into its own
// temporary name and renames it into place, so neither ever sees a half-written result.
const tmpName = (target: string) => `${target}.tmp-${process.pid}`;

export function kafkaLibDir(env: StackEnv): string {
  return path.join(env.FIREGOV_CACHE, `kafka-${env.STACK_KAFKA_VERSION}`, 'libs');
}

export async function ensureKafka(ctx: ProvisionContext): Promise<string> {
  const { env } = ctx;
  const libs = kafkaLibDir(env);
  const marker = path.join(libs, `kafka_2.13-${env.STACK_KAFKA_VERSION}.jar`);
  if (fs.existsSync(marker)) return libs;
  if (!which('mvn') || !which('java')) throw new Error('needs java (17+) and mvn on PATH to fetch the broker jars');
  const what = `Apache Kafka ${env.STACK_KAFKA_VERSION} jars from Maven Central into ${libs} (first time only)`;
  await provisionStep(ctx, { name: 'kafka', doing: 'fetching', done: 'fetched', what }, async (run) => {
    const tmp = tmpName(libs);
    fs.rmSync(tmp, { recursive: true, force: true });
    try {
      await run('mvn', [
        '-B',
        '--no-transfer-progress',
        '-f',
        path.join(env.repoRoot, 'infra', 'kafka', 'pom.xml'),
        'dependency:copy-dependencies',
        `-Dkafka.version=${env.STACK_KAFKA_VERSION}`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${tmp}`,
      ]);
      if (fs.existsSync(marker)) return; // another stack finished first; its jars are the same
      fs.rmSync(libs, { recursive: true, force: true });
      fs.renameSync(tmp, libs);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
  return libs;
}

export async function ensureFerretDb(ctx: ProvisionContext): Promise<string> {
  const { env } = ctx;
  const bin = path.join(env.FIREGOV_CACHE, 'bin', `ferretdb-${env.STACK_FERRETDB_VERSION}-${FERRETDB_PATCH_TAG}`);
  if (fs.existsSync(bin)) return bin;
  if (!which('go')) throw new Error('needs Go on PATH to build FerretDB');
  const mod = `github.com/FerretDB/FerretDB@${env.STACK_FERRETDB_VERSION}`;
  const what = `${mod} (patched) from the Go module proxy (first time only)`;
  await provisionStep(ctx, { name: 'ferretdb', doing: 'building', done: 'built', what }, async (run, control) => {
    control.detail('downloading the module');
    // `go install` of this module panics at start-up: the module zip lacks build/version/version.txt,
    // which a release build generates. Build from a writable copy with that file written in.
    const info = JSON.parse(await run('go', ['mod', 'download', '-json', mod], { captureStdout: true })) as { Dir: string };
    const src = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ferretdb-src-'));
    try {
      await fs.promises.cp(info.Dir, src, { recursive: true });
      await run('chmod', ['-R', 'u+w', src]);
      fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${env.STACK_FERRETDB_VERSION}\n`);
      applyFerretDbPatches(src);
      // The SQLite driver, patched too (firegov_stmtcache.go), from a writable copy inside the
      // tree: a directory starting with `_` is no package of FerretDB's module.
      const driverVersion = requiredModuleVersion(fs.readFileSync(path.join(src, 'go.mod'), 'utf8'), SQLITE_DRIVER_MODULE);
      const driver = JSON.parse(
        await run('go', ['mod', 'download', '-json', `${SQLITE_DRIVER_MODULE}@${driverVersion}`], { captureStdout: true }),
      ) as { Dir: string };
      const driverCopy = path.join(src, '_firegov', 'sqlite');
      await fs.promises.cp(driver.Dir, driverCopy, { recursive: true });
      await run('chmod', ['-R', 'u+w', driverCopy]);
      applySqliteDriverPatches(driverCopy);
      await run('go', ['mod', 'edit', `-replace=${SQLITE_DRIVER_MODULE}=./_firegov/sqlite`], { cwd: src });
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      control.detail('go build (downloads dependencies, then compiles)');
      await run('go', ['build', '-trimpath', '-o', tmpName(bin), './cmd/ferretdb'], { cwd: src });
      fs.renameSync(tmpName(bin), bin);
    } finally {
      fs.rmSync(tmpName(bin), { force: true });
      fs.rmSync(src, { recursive: true, force: true });
    }
  });
  return bin;
}

export async function ensureRedis(ctx: ProvisionContext): Promise<string> {
  const found = which('redis-server');
  if (found) return found;
  const what = 'the Debian package redis-server (apt-get; redis-server is not on PATH)';
  await provisionStep(ctx, { name: 'redis', doing: 'installing', done: 'installed', what }, async (run, control) => {
    const apt = (...args: string[]) => {
      const cmd = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
      return process.getuid?.() === 0 ? run(cmd[0]!, cmd.slice(1)) : run('sudo', ['-n', ...cmd]);
    };
    control.detail('apt-get update');
    await apt('update', '-qq');
    control.detail('apt-get install');
    await apt('install', '-y', '-qq', 'redis-server');
  });
  const installed = which('redis-server');
  if (!installed) throw new Error('apt-get install redis-server did not provide redis-server');
  return installed;
}

export async function ensureJaeger(ctx: ProvisionContext): Promise<string> {
  const { env } = ctx;
  const bin = path.join(env.FIREGOV_CACHE, 'bin', `jaeger-${env.STACK_JAEGER_VERSION}`);
  if (fs.existsSync(bin)) return bin;
  if (!which('go')) throw new Error('needs Go on PATH to build Jaeger');
  const what = `Jaeger ${env.STACK_JAEGER_VERSION} from the Go module proxy (first time only; several minutes)`;
  await provisionStep(ctx, { name: 'jaeger', doing: 'building', done: 'built', what }, async (run, control) => {
    // Jaeger's go.mod has replace directives, so `go install pkg@version` refuses it; build it as a
    // tool dependency of a throwaway module instead.
    const dir = path.join(env.FIREGOV_CACHE, 'src', `jaeger-${env.STACK_JAEGER_VERSION}`);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'go.mod'))) await run('go', ['mod', 'init', 'firegov.local/jaegertool'], { cwd: dir });
    control.detail('go get: downloading modules');
    await run('go', ['get', '-tool', `github.com/jaegertracing/jaeger/cmd/jaeger@${env.STACK_JAEGER_VERSION}`], { cwd: dir });
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    control.detail('go build: compiling');
    try {
      await run('go', ['build', '-trimpath', '-o', tmpName(bin), 'github.com/jaegertracing/jaeger/cmd/jaeger'], { cwd: dir });
      fs.renameSync(tmpName(bin), bin);
    } finally {
      fs.rmSync(tmpName(bin), { force: true });
    }
  });
  return bin;
}

/** One command of the Prometheus module (`prometheus`, `promtool`), built once into the cache. */
async function ensurePrometheusCommand(ctx: ProvisionContext, cmd: 'prometheus' | 'promtool'): Promise<string> {
  const { env } = ctx;
  const v = env.STACK_PROMETHEUS_VERSION;
  const bin = path.join(env.FIREGOV_CACHE, 'bin', `${cmd}-${v}`);
  if (fs.existsSync(bin)) return bin;
  if (!which('go')) throw new Error(`needs Go on PATH to build ${cmd}`);
  const what = `${cmd} ${v} from the Go module proxy (first time only; a few minutes)`;
  await provisionStep(ctx, { name: cmd, doing: 'building', done: 'built', what }, async (run, control) => {
    // Like Jaeger: a tool dependency of a throwaway module, so Prometheus' own go.mod decides versions.
    const dir = path.join(env.FIREGOV_CACHE, 'src', `prometheus-${v}-${cmd}`);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'go.mod'))) await run('go', ['mod', 'init', 'firegov.local/prometheustool'], { cwd: dir });
    control.detail('go get: downloading modules');
    await run('go', ['get', '-tool', `github.com/prometheus/prometheus/cmd/${cmd}@${v}`], { cwd: dir });
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    control.detail('go build: compiling');
    try {
      // remove_all_sd: the platform's targets are static; leaving out the cloud discovery plugins
      // (AWS, Azure, GCE, Kubernetes, ...) makes the build several times smaller and faster.
      await run(
        'go',
        ['build', '-tags', 'remove_all_sd', '-trimpath', '-o', tmpName(bin), `github.com/prometheus/prometheus/cmd/${cmd}`],
        {
          cwd: dir,
        },
      );
      fs.renameSync(tmpName(bin), bin);
    } finally {
      fs.rmSync(tmpName(bin), { force: true });
    }
  });
  return bin;
}

/** Prometheus, for `npm start`: scrapes the services and evaluates infra/prometheus/alerts.yml. */
export const ensurePrometheus = (ctx: ProvisionContext): Promise<string> => ensurePrometheusCommand(ctx, 'prometheus');

/** promtool, for `npm test`: checks and unit-tests the alert rules. */
export const ensurePromtool = (ctx: ProvisionContext): Promise<string> => ensurePrometheusCommand(ctx, 'promtool');
