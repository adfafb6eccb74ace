import path from 'node:path';
import type { StackEnv } from './env.ts';
import { PLATFORM_SERVICES } from './services.ts';

/** The gateway's port under `npm start` (the services' come from PLATFORM_SERVICES). */
const GATEWAY_PORT = 4000;

/** prometheus.yml (written by the prometheus component): every service and the gateway, scraped every 15 s, with the platform's alert rules. */
export function prometheusConfig(env: StackEnv): string {
  const targets = [GATEWAY_PORT, ...PLATFORM_SERVICES.map((s) => s.port)].map((p) => `'127.0.0.1:${p}'`).join(', ');
  return [
    'global:',
    '  scrape_interval: 15s',
    '  evaluation_interval: 15s',
    'rule_files:',
    `  - '${path.join(env.repoRoot, 'infra', 'prometheus', 'alerts.yml')}'`,
    'scrape_configs:',
    '  - job_name: firegov',
    ...(env.METRICS_TOKEN ? ['    authorization:', `      credentials: '${env.METRICS_TOKEN}'`] : []),
    '    static_configs:',
    `      - targets: [${targets}]`,
    '',
  ].join('\n');
}
