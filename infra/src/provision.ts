import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StackEnv } from './env.ts';
import { applyFerretDbPatches, FERRETDB_PATCH_TAG } from './ferretdb-patches.ts';

// Fetches and builds each component once into FIREGOV_CACHE (outside git) and reuses it after.
// Everything comes from the package registries this machine reaches: Maven Central, the Go
// module proxy and Debian.

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (res.error) throw new Error(`${cmd} could not run: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status}`);
}

function which(bin: string): string | undefined {
  const res = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const out = res.stdout.trim();
  return res.status === 0 && out ? out : undefined;
}

function log(msg: string): void {
  process.stderr.write(`[stack] ${msg}\n`);
}

export function kafkaLibDir(env: StackEnv): string {
  return path.join(env.FIREGOV_CACHE, `kafka-${env.STACK_KAFKA_VERSION}`, 'libs');
}

export function ensureKafka(env: StackEnv): string {
  const libs = kafkaLibDir(env);
  if (fs.existsSync(path.join(libs, `kafka_2.13-${env.STACK_KAFKA_VERSION}.jar`))) return libs;
  if (!which('mvn') || !which('java')) throw new Error('kafka: needs java (17+) and mvn on PATH to fetch the broker jars');
  log(`kafka: fetching ${env.STACK_KAFKA_VERSION} jars from Maven Central into ${libs}`);
  const tmp = `${libs}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(env.repoRoot, 'infra', 'kafka', 'pom.xml'),
    'dependency:copy-dependencies',
    `-Dkafka.version=${env.STACK_KAFKA_VERSION}`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${tmp}`,
  ]);
  fs.rmSync(libs, { recursive: true, force: true });
  fs.renameSync(tmp, libs);
  return libs;
}


export function ensureFerretDb(env: StackEnv): string {
  const bin = path.join(env.FIREGOV_CACHE, 'bin', `ferretdb-${env.STACK_FERRETDB_VERSION}-${FERRETDB_PATCH_TAG}`);
  if (fs.existsSync(bin)) return bin;
  if (!which('go')) throw new Error('ferretdb: needs Go on PATH to build FerretDB');
  const mod = `github.com/FerretDB/FerretDB@${env.STACK_FERRETDB_VERSION}`;
  log(`ferretdb: building ${mod} from the Go module proxy (first time only)`);
  // `go install` of this module panics at start-up: the module zip lacks build/version/version.txt,
  // which a release build generates. Build from a writable copy with that file written in.
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', mod], { encoding: 'utf8' })) as { Dir: string };
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    fs.cpSync(info.Dir, src, { recursive: true });
    run('chmod', ['-R', 'u+w', src]);
    fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${env.STACK_FERRETDB_VERSION}\n`);
    applyFerretDbPatches(src);
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    run('go', ['build', '-trimpath', '-o', `${bin}.tmp`, './cmd/ferretdb'], { cwd: src });
    fs.renameSync(`${bin}.tmp`, bin);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
  return bin;
}

export function ensureRedis(): string {
  const found = which('redis-server');
  if (found) return found;
  log('redis: redis-server missing; installing Debian package redis-server');
  const apt = (...args: string[]): void => {
    const cmd = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
    if (process.getuid?.() === 0) run(cmd[0]!, cmd.slice(1));
    else run('sudo', ['-n', ...cmd]);
  };
  apt('update', '-qq');
  apt('install', '-y', '-qq', 'redis-server');
  const installed = which('redis-server');
  if (!installed) throw new Error('redis: apt-get install redis-server did not provide redis-server');
  return installed;
}

export function ensureJaeger(env: StackEnv): string {
  const bin = path.join(env.FIREGOV_CACHE, 'bin', `jaeger-${env.STACK_JAEGER_VERSION}`);
  if (fs.existsSync(bin)) return bin;
  if (!which('go')) throw new Error('jaeger: needs Go on PATH to build Jaeger');
  log(`jaeger: building ${env.STACK_JAEGER_VERSION} from the Go module proxy (first time only, several minutes)`);
  // Jaeger's go.mod has replace directives, so `go install pkg@version` refuses it; build it as a
  // tool dependency of a throwaway module instead.
  const dir = path.join(env.FIREGOV_CACHE, 'src', `jaeger-${env.STACK_JAEGER_VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'go.mod'))) run('go', ['mod', 'init', 'firegov.local/jaegertool'], { cwd: dir });
  run('go', ['get', '-tool', `github.com/jaegertracing/jaeger/cmd/jaeger@${env.STACK_JAEGER_VERSION}`], { cwd: dir });
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  run('go', ['build', '-trimpath', '-o', `${bin}.tmp`, 'github.com/jaegertracing/jaeger/cmd/jaeger'], { cwd: dir });
  fs.renameSync(`${bin}.tmp`, bin);
  return bin;
}
