import { timingSafeEqual } from 'node:crypto';
import { metrics, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';

/**
 * OpenTelemetry metrics for Prometheus: one meter provider per process, read by a Prometheus
 * exporter that serves no port of its own — each service answers `GET /metrics` on its HTTP port
 * (createHttpApp), so there is one port to scrape and one to protect. Instruments come from
 * `meter()`, which sets the provider up on first use: nothing is dropped by being made before
 * the service starts, and tests measure the same instruments as production.
 */
let provider: { exporter: PrometheusExporter; meterProvider: MeterProvider } | undefined;
let serviceName = 'firegov';

/** The `service.name` of this process's metrics (startTelemetry sets it, before any instrument exists). */
export function nameMetricsService(name: string): void {
  serviceName = name;
}

function platformMetrics(): NonNullable<typeof provider> {
  if (!provider) {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
      readers: [exporter],
    });
    metrics.setGlobalMeterProvider(meterProvider);
    provider = { exporter, meterProvider };
  }
  return provider;
}

export const meter = (): Meter => platformMetrics().meterProvider.getMeter('firegov');

/** `GET /metrics` in the Prometheus text format; with a token, only for a scraper that presents it. */
export const metricsHandler =
  (token?: string): RequestHandler =>
  (req, res) => {
    if (token !== undefined && !sameSecret(req.header('authorization') ?? '', `Bearer ${token}`)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({
          error: { code: 'UNAUTHENTICATED', message: 'metrics need the scrape token (METRICS_TOKEN)', details: [] },
        });
      return;
    }
    platformMetrics().exporter.getMetricsRequestHandler(req, res);
  };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Flushes nothing (Prometheus pulls) but releases the provider at shutdown. */
export async function shutdownMetrics(): Promise<void> {
  const p = provider;
  provider = undefined;
  await p?.meterProvider.shutdown();
}

const BOUNDARIES_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every HTTP request's duration by method, route template and status (semantic conventions
 * `http.server.request.duration`): its count is the request rate, its 5xx share the error rate.
 * The route is the matched template, never the raw path, so ids do not explode the series.
 */
export function httpMetrics(): RequestHandler {
  const duration = meter().createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests',
    advice: { explicitBucketBoundaries: BOUNDARIES_S },
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      duration.record(Number(process.hrtime.bigint() - started) / 1e9, {
        'http.request.method': req.method,
        'http.route': route ? `${req.baseUrl}${route}` : req.baseUrl || 'unmatched',
        'http.response.status_code': res.statusCode,
      });
    });
    next();
  };
}

interface OperationNode {
  kind: string;
  operation?: string;
  name?: { value: string };
}
interface ExecuteArgs {
  document: { definitions: readonly OperationNode[] };
  operationName?: string | null;
}

/** Operation names are the client's to choose: past this many distinct ones, the rest count as `other`. */
const MAX_OPERATION_NAMES = 200;

/**
 * An envelop plugin (graphql-yoga, Hive Gateway) recording each executed operation's duration by
 * type, name and whether it answered errors (`graphql.server.operation.duration`).
 */
export function graphqlOperationMetrics() {
  const duration = meter().createHistogram('graphql.server.operation.duration', {
    unit: 's',
    description: 'Duration of executed GraphQL operations',
    advice: { explicitBucketBoundaries: BOUNDARIES_S },
  });
  const names = new Set<string>();
  const nameOf = (args: ExecuteArgs, op: OperationNode | undefined): string => {
    const name = args.operationName ?? op?.name?.value ?? 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES || !/^[A-Za-z_]\w{0,63}$/.test(name)) return 'other';
    names.add(name);
    return name;
  };
  return {
    onExecute({ args }: { args: ExecuteArgs }) {
      const started = process.hrtime.bigint();
      const ops = args.document.definitions.filter((d) => d.kind === 'OperationDefinition');
      const op = ops.find((d) => d.name?.value === args.operationName) ?? ops[0];
      return {
        onExecuteDone({ result }: { result: unknown }) {
          const errors = (result as { errors?: readonly unknown[] } | null)?.errors;
          duration.record(Number(process.hrtime.bigint() - started) / 1e9, {
            'graphql.operation.type': op?.operation ?? 'unknown',
            'graphql.operation.name': nameOf(args, op),
            'firegov.graphql.errors': Array.isArray(errors) && errors.length > 0,
          });
        },
      };
    },
  };
}

let escalations: ReturnType<Meter['createCounter']> | undefined;

/** Escalations a ladder fired (hazards, overdue inspections, list items, alarms), by action. */
export function countEscalations(ladder: string, action: string, n = 1): void {
  if (n <= 0) return;
  escalations ??= meter().createCounter('firegov.escalations', { description: 'Escalation steps fired by the sweeps' });
  escalations.add(n, { ladder, action });
}
