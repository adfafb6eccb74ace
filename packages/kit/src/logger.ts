import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** The trace id of the active span, if any: what a log line or an audit record names to lead to Jaeger. */
export function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

/** JSON logs carrying the active trace and span ids, so a log line leads to its trace in Jaeger. */
export function createLogger(opts: { service: string; level?: LevelWithSilent }): Logger {
  return pino({
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
      // Belt and braces: personal data must never reach logs even if a caller logs a whole record.
      paths: ['*.idNumber', '*.phone', '*.password', '*.secret', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
