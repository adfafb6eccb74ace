import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { headerString } from './envelope.ts';

const tracer = trace.getTracer('@firegov/events');

/** The current context's traceparent/tracestate, to store with an outbox entry at write time. */
export function currentTraceHeaders(ctx: Context = context.active()): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

export function contextFromTraceHeaders(h: { traceparent?: string | undefined; tracestate?: string | undefined }): Context {
  const carrier: Record<string, string> = {};
  if (h.traceparent) carrier.traceparent = h.traceparent;
  if (h.tracestate) carrier.tracestate = h.tracestate;
  return propagation.extract(context.active(), carrier);
}

export function contextFromKafkaHeaders(headers: IHeaders | undefined): Context {
  return contextFromTraceHeaders({
    traceparent: headerString(headers, 'traceparent'),
    tracestate: headerString(headers, 'tracestate'),
  });
}

export function startSpan(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number | boolean>,
): { span: Span; ctx: Context } {
  const span = tracer.startSpan(name, { kind, attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

export function failSpan(span: Span, err: unknown): void {
  span.recordException(err as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
}

export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number | boolean>,
  fn: (span: Span, ctx: Context) => Promise<T>,
): Promise<T> {
  const { span, ctx } = startSpan(name, kind, parent, attributes);
  try {
    return await context.with(ctx, () => fn(span, ctx));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

export { SpanKind };
