// Jaeger as `npm start` runs it (the same binary, built by `npm test` from the Go module proxy), for
// the end-to-end trace test: in-memory storage, and only its OTLP/HTTP receiver and query API, on
// free ports, so it runs beside a developer's own `npm start` (whose Jaeger holds the default ports).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@firegov/testing';

/** A span as the test reads it back from Jaeger. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP span kinds: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

export interface TestJaeger {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for the processes under test. */
  otlpEndpoint: string;
  /** Jaeger's query service (its HTTP API under /api), e.g. for the operators' dashboard's JAEGER_URL. */
  queryUrl: string;
  /** The trace's spans as Jaeger's query API (`GET /api/traces/{id}`) answers them; none while it has none. */
  trace(traceId: string): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

interface JaegerTrace {
  spans: Array<{
    traceID: string;
    spanID: string;
    operationName: string;
    processID: string;
    references?: Array<{ refType: string; spanID: string }>;
    tags?: Array<{ key: string; value: string | number | boolean }>;
  }>;
  processes: Record<string, { serviceName: string }>;
}

function config(ports: { otlp: number; http: number; grpc: number }): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.http}
    grpc:
      endpoint: 127.0.0.1:${ports.grpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
processors:
  batch: {}
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

export async function startJaeger(bin: string): Promise<TestJaeger> {
  const ports = { otlp: await freePort(), http: await freePort(), grpc: await freePort() };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-jaeger-'));
  const file = path.join(dir, 'jaeger.yaml');
  fs.writeFileSync(file, config(ports));
  const output: string[] = [];
  const child: ChildProcess = spawn(bin, [`--config=${file}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => output.push(chunk.toString('utf8'));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const api = `http://127.0.0.1:${ports.http}/api`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i += 1) {
    const ok = await fetch(`${api}/services`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || i >= 120) {
      await close();
      throw new Error(`Jaeger did not answer within 30 s:\n${output.join('').slice(-2000)}`);
    }
    await sleep(250);
  }
  return {
    otlpEndpoint: `http://127.0.0.1:${ports.otlp}`,
    queryUrl: `http://127.0.0.1:${ports.http}`,
    async trace(traceId) {
      const res = await fetch(`${api}/traces/${traceId}`);
      if (res.status === 404) return [];
      if (!res.ok) throw new Error(`Jaeger query API: ${res.status} ${await res.text()}`);
      const { data } = (await res.json()) as { data: JaegerTrace[] | null };
      return (data ?? []).flatMap((t) =>
        t.spans.map((s) => {
          const tags = Object.fromEntries((s.tags ?? []).map((tag) => [tag.key, tag.value]));
          const parent = s.references?.find((r) => r.refType === 'CHILD_OF');
          return {
            service: t.processes[s.processID]?.serviceName ?? '',
            traceId: s.traceID,
            spanId: s.spanID,
            parentSpanId: parent?.spanID,
            name: s.operationName,
            kind: KINDS[String(tags['span.kind'] ?? 'internal')] ?? 1,
            attributes: tags,
          };
        }),
      );
    },
    close,
  };
}
