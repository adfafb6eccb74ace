import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

// Spans for the store and Redis, with the semantic conventions' `db.*` attributes. The official
// instrumentations patch modules as they load, which a process of native ES modules (how the
// services run) does not go through; these hook the clients themselves, so they work the same in
// the services and under jest. Like the official ones, they make spans only inside a trace (a
// request, a consumed event): background loops do not fill the trace store.

const tracer = () => trace.getTracer('firegov.store');

// Handshake and health chatter, never part of a request's work.
const IGNORED_COMMANDS = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'saslStart',
  'saslContinue',
  'endSessions',
  'buildInfo',
]);

function hostAndPort(address: string): { 'server.address': string; 'server.port'?: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) return { 'server.address': address };
  return { 'server.address': address.slice(0, i), 'server.port': Number(address.slice(i + 1)) };
}

const fail = (span: Span, err: unknown) => {
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
};

interface CommandEvent {
  requestId: number;
  connectionId?: string | number;
  commandName: string;
  databaseName: string;
  address: string;
  command?: Record<string, unknown>;
  failure?: unknown;
}

/** A CLIENT span per MongoDB command (the driver's command monitoring; the connection needs `monitorCommands`). */
export function traceMongoCommands(conn: Connection): void {
  const client = conn.getClient();
  const open = new Map<string, Span>();
  const key = (e: CommandEvent) => `${String(e.connectionId)}:${e.requestId}`;
  client.on('commandStarted', (e: CommandEvent) => {
    if (!trace.getSpan(context.active()) || IGNORED_COMMANDS.has(e.commandName)) return;
    const target = e.command?.[e.commandName];
    const collection = typeof target === 'string' ? target : undefined;
    const span = tracer().startSpan(
      collection ? `${e.commandName} ${collection}` : e.commandName,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'mongodb',
          'db.namespace': e.databaseName,
          'db.operation.name': e.commandName,
          ...(collection ? { 'db.collection.name': collection } : {}),
          ...hostAndPort(e.address),
        },
      },
      context.active(),
    );
    open.set(key(e), span);
  });
  const finish = (e: CommandEvent) => {
    const span = open.get(key(e));
    if (!span) return;
    open.delete(key(e));
    if (e.failure !== undefined) fail(span, e.failure);
    span.end();
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);
}

/** A CLIENT span per Redis command (ioredis' sendCommand, which every command and pipeline goes through). */
export function traceRedisCommands(client: Redis): void {
  const send = client.sendCommand.bind(client);
  const { host, port } = client.options;
  client.sendCommand = (command: { name: string; promise: Promise<unknown> }, stream?: unknown) => {
    if (trace.getSpan(context.active())) {
      const span = tracer().startSpan(command.name.toUpperCase(), {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'redis',
          'db.operation.name': command.name.toUpperCase(),
          ...(host ? { 'server.address': host } : {}),
          ...(port ? { 'server.port': port } : {}),
        },
      });
      command.promise.then(
        () => span.end(),
        (err: unknown) => {
          fail(span, err);
          span.end();
        },
      );
    }
    return send(command as never, stream as never);
  };
}
