import { envFragments, loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

// The operators' dashboard's only env module (infra/dashboard/README.md lists every variable).

const httpUrl = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

export const dashboardEnvSchema = z.object({
  ...envFragments.common,
  HOST: envFragments.http.HOST,
  PORT: z.coerce.number().int().min(0).max(65535).default(9091),
  /** Where the Prometheus HTTP API answers (a path prefix is kept: http://host/prometheus). */
  PROMETHEUS_URL: httpUrl.default('http://127.0.0.1:9090'),
  /** How long a proxied query may take before the dashboard answers 503 for it. */
  PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** Where Jaeger's query service answers (its HTTP API under /api; a path prefix is kept), for the traces view. */
  JAEGER_URL: httpUrl.default('http://127.0.0.1:16686'),
  /** How long a proxied trace search or trace may take before the dashboard answers 503 for it. */
  JAEGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
});

export type DashboardEnv = z.infer<typeof dashboardEnvSchema>;

export const loadDashboardEnv = (source: Record<string, string | undefined> = process.env): DashboardEnv =>
  loadEnvOrExit(dashboardEnvSchema, source);
