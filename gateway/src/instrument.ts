// Imported first by index.ts so tracing hooks are in place before http and express load.
import { startTelemetry } from '@firegov/kit';
import { loadGatewayEnv } from './env.ts';

const env = loadGatewayEnv();
export const telemetry = startTelemetry({
  serviceName: env.OTEL_SERVICE_NAME ?? 'gateway',
  otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
});
