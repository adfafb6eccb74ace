import { createRequire } from 'node:module';
import path from 'node:path';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { nameMetricsService } from './metrics.ts';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (collector or Jaeger), e.g. http://127.0.0.1:4318. Without it spans are made but not exported. */
  otlpEndpoint?: string | undefined;
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts tracing with W3C trace-context propagation. Spans exist even without an exporter, so
 * trace ids still reach logs and Kafka headers and a trace is continuous across services.
 * Call it before the app's HTTP modules load (a service's index.ts imports its instrument.ts first).
 */
export function startTelemetry(opts: TelemetryOptions): Telemetry {
  nameMetricsService(opts.serviceName);
  const processors: SpanProcessor[] = [...(opts.spanProcessors ?? [])];
  if (opts.otlpEndpoint) {
    const url = `${opts.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName }),
    textMapPropagator: new W3CTraceContextPropagator(),
    spanProcessors: processors,
    // Traces only; without this the SDK starts an OTLP metrics exporter by default, which retries
    // a collector that may not exist and holds shutdown for seconds.
    metricReaders: [],
    instrumentations: [
      new HttpInstrumentation({
        // Health probes would drown real traffic in the trace store.
        ignoreIncomingRequestHook: (req) => req.url === '/healthz' || req.url === '/readyz',
      }),
      // Routers and handlers only: a span for every middleware (body parser, request id, auth,
      // limits…) was a dozen empty spans per request in Jaeger, and measurable CPU at the gateway.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    ],
  });
  sdk.start();
  // The instrumentations patch a module when it is next `require`d. A service is native ES
  // modules: by the time this runs, its imports have loaded http and express, and nothing requires
  // them again, so incoming requests went untraced. Requiring them here applies the patches (to the
  // shared prototypes the ES imports use too).
  const require = createRequire(path.join(process.cwd(), 'telemetry.cjs'));
  for (const name of ['http', 'https', 'express']) {
    try {
      require(name);
    } catch {
      // express is optional for a process without an HTTP app.
    }
  }
  return {
    async shutdown() {
      await sdk.shutdown();
    },
  };
}
