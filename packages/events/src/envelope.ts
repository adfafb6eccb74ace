import { randomUUID } from 'node:crypto';
import type { IHeaders, Message } from 'kafkajs';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: the event attributes travel as
 * `ce_*` headers and the Kafka value is the event data as JSON. W3C `traceparent` rides along so a
 * consumer's span joins the producer's trace.
 */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string | undefined;
  data: T;
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export function newEnvelope<T>(fields: Omit<EventEnvelope<T>, 'id' | 'time'> & { id?: string; time?: string }): EventEnvelope<T> {
  return { ...fields, id: fields.id ?? randomUUID(), time: fields.time ?? new Date().toISOString() };
}

export function toKafkaMessage(envelope: EventEnvelope, key: string): Message {
  const headers: IHeaders = {
    [CE_HEADERS.specversion]: '1.0',
    [CE_HEADERS.id]: envelope.id,
    [CE_HEADERS.type]: envelope.type,
    [CE_HEADERS.source]: envelope.source,
    [CE_HEADERS.time]: envelope.time,
    [CE_HEADERS.contentType]: 'application/json',
  };
  if (envelope.subject !== undefined) headers[CE_HEADERS.subject] = envelope.subject;
  if (envelope.traceparent !== undefined) headers[CE_HEADERS.traceparent] = envelope.traceparent;
  if (envelope.tracestate !== undefined) headers[CE_HEADERS.tracestate] = envelope.tracestate;
  return { key, value: JSON.stringify(envelope.data), headers };
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

export type DecodeResult = { ok: true; envelope: EventEnvelope<unknown> } | { ok: false; reason: string };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads a binary-mode CloudEvent; any missing attribute or unparsable body is a reason to dead-letter. */
export function fromKafkaMessage(message: { headers?: IHeaders | undefined; value: Buffer | null }): DecodeResult {
  const h = (name: string) => headerString(message.headers, name);
  const missing = (['specversion', 'id', 'type', 'source', 'time'] as const).filter((k) => !h(CE_HEADERS[k]));
  if (missing.length > 0)
    return { ok: false, reason: `missing CloudEvents header(s): ${missing.map((k) => CE_HEADERS[k]).join(', ')}` };
  if (h(CE_HEADERS.specversion) !== '1.0')
    return { ok: false, reason: `unsupported ce_specversion ${h(CE_HEADERS.specversion)}` };
  const time = h(CE_HEADERS.time)!;
  if (!RFC3339.test(time) || Number.isNaN(Date.parse(time)))
    return { ok: false, reason: `ce_time "${time}" is not an RFC 3339 timestamp` };
  const contentType = h(CE_HEADERS.contentType);
  if (contentType !== undefined && !contentType.startsWith('application/json')) {
    return { ok: false, reason: `content-type "${contentType}" is not application/json` };
  }
  if (message.value === null) return { ok: false, reason: 'message has no value (tombstone)' };
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `value is not JSON: ${(err as Error).message}` };
  }
  return {
    ok: true,
    envelope: {
      id: h(CE_HEADERS.id)!,
      type: h(CE_HEADERS.type)!,
      source: h(CE_HEADERS.source)!,
      time,
      subject: h(CE_HEADERS.subject),
      traceparent: h(CE_HEADERS.traceparent),
      tracestate: h(CE_HEADERS.tracestate),
      data,
    },
  };
}
