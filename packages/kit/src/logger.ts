import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** The trace id of the active span, if any: what a log line or an audit record names to lead to Jaeger. */
export function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

const SENSITIVE_FIELDS = [
  'idNumber',
  'phone',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'privateJwk',
  'access_token',
  'refresh_token',
  'code_verifier',
];

/** What the logger censors: each sensitive field at the top level and one level down, and the Authorization header. */
export const REDACTED_PATHS: readonly string[] = [...SENSITIVE_FIELDS.flatMap((f) => [f, `*.${f}`]), 'req.headers.authorization'];

/** JSON logs carrying the active trace and span ids, so a log line leads to its trace in Jaeger. */
export function createLogger(opts: { service: string; level?: LevelWithSilent; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: opts.service,
      level: opts.level ?? 'info',
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const ctx = span.spanContext();
        return { trace_id: ctx.traceId, span_id: ctx.spanId };
      },
      redact: {
        // Belt and braces: personal data and credentials must never reach logs even if a caller logs
        // a whole record, a request body or a token answer (at the top level or one level down).
        paths: [...REDACTED_PATHS],
        censor: '[redacted]',
      },
    },
    // Standard output unless given (a test reads what would be written).
    opts.destination,
  );
}
