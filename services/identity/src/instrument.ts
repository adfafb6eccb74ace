// Imported first by index.ts so tracing hooks are in place before http and express load.
import { startTelemetry } from '@firegov/kit';
import { env } from './runtime-env.ts';

export const telemetry = startTelemetry({
  serviceName: env.OTEL_SERVICE_NAME ?? 'identity',
  otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
});
