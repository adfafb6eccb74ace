import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testEnv } from '@firegov/testing';
import { parse } from 'yaml';
import { dashboardEnvSchema } from '../src/dashboard/env.ts';
import { composePrometheusConfig, SCRAPED } from '../src/prometheus-config.ts';
import { PLATFORM_SERVICES } from '../src/services.ts';

// docker-compose runs Prometheus and the operators' dashboard too. Its Prometheus config is
// generated from the code that writes the one `npm start` uses (scripts/test/docs.test.ts holds the
// committed file to the generator), so here: it scrapes every platform process docker-compose runs,
// Prometheus accepts it, and the compose services are wired to it.

const root = path.join(__dirname, '..', '..');
const composeFile = path.join(root, 'infra', 'prometheus', 'prometheus.compose.yml');

interface ComposeService {
  image?: string;
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

/** The compose services that run a platform process (a service or the gateway) from source, with their port. */
function platformProcesses(): Array<{ name: string; port: number }> {
  return Object.entries(compose.services)
    .filter(([, s]) => /^(services\/[^/]+|gateway)\/src\/index\.ts$/.test(s.command?.[1] ?? ''))
    .map(([name, s]) => ({ name, port: Number(s.environment?.PORT ?? s.environment?.GATEWAY_PORT) }));
}

test('the compose Prometheus scrapes the gateway and every service docker-compose runs, by service name and port', () => {
  const config = parse(fs.readFileSync(composeFile, 'utf8')) as {
    rule_files: string[];
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  const targets = config.scrape_configs.flatMap((j) => j.static_configs.flatMap((c) => c.targets)).sort();
  const processes = platformProcesses();
  expect(processes.map((p) => p.name).sort()).toEqual(['gateway', ...PLATFORM_SERVICES.map((s) => s.name)].sort());
  expect(targets).toEqual(processes.map((p) => `${p.name}:${p.port}`).sort());
  expect(targets).toEqual(SCRAPED.map((s) => `${s.name}:${s.port}`).sort());
  expect(config.rule_files).toEqual(['alerts.yml']);
  expect(fs.readFileSync(composeFile, 'utf8')).toBe(composePrometheusConfig());
});

test('docker-compose runs Prometheus with that config and the alert rules, and the dashboard against it and Jaeger', () => {
  const prometheus = compose.services.prometheus!;
  expect(prometheus.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
  expect(prometheus.volumes).toEqual(
    expect.arrayContaining([
      './infra/prometheus/prometheus.compose.yml:/etc/prometheus/prometheus.yml:ro',
      './infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    ]),
  );
  expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  expect(prometheus.healthcheck).toBeDefined();

  const dashboard = compose.services.dashboard!;
  expect(dashboard.command).toEqual(['node', 'infra/src/dashboard/main.ts']);
  expect(dashboard.depends_on).toEqual({ prometheus: { condition: 'service_healthy' } });
  // Every variable the compose service sets is one the dashboard's env module reads, and it parses.
  const env = Object.fromEntries(Object.entries(dashboard.environment ?? {}).map(([k, v]) => [k, String(v)]));
  expect(Object.keys(env).filter((k) => !(k in dashboardEnvSchema.shape))).toEqual([]);
  expect(dashboardEnvSchema.parse(env)).toMatchObject({
    PROMETHEUS_URL: 'http://prometheus:9090',
    JAEGER_URL: 'http://jaeger:16686',
    HOST: '0.0.0.0',
    PORT: 9091,
  });
});

test('the dashboard README lists exactly the variables its env module reads', () => {
  const readme = fs.readFileSync(path.join(root, 'infra', 'dashboard', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| variable |')).split('\n\n')[0]!;
  const documented = table
    .split('\n')
    .slice(2)
    .flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
  expect(documented.sort()).toEqual(Object.keys(dashboardEnvSchema.shape).sort());
});

test('promtool accepts the compose Prometheus config with its rules', () => {
  if (!testEnv.PROMTOOL) throw new Error('PROMTOOL is not set: run the tests with `npm test`, which builds promtool first');
  const res = spawnSync(testEnv.PROMTOOL, ['check', 'config', composeFile], { encoding: 'utf8' });
  expect(res.stdout + res.stderr).toContain('is valid prometheus config file syntax');
  expect(res.stdout + res.stderr).toContain('SUCCESS: 5 rules found');
  expect(res.status).toBe(0);
});
