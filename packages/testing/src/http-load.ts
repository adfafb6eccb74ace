import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  n: number;
  errors: number;
}

/**
 * Drives one POST at `connections` concurrent clients for `durationS` seconds (autocannon) and keeps
 * every response time, so p95 is exact, not interpolated from a histogram.
 */
export async function httpLoad(o: {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  timeoutS?: number;
  /** Per request: changes to headers and body (unique idempotency keys, bodies). */
  vary?: (n: number) => { headers?: Record<string, string>; body?: string };
}): Promise<LoadResult & { statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  let n = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        method: 'POST',
        body: o.body,
        headers: o.headers,
        connections: o.connections,
        duration: o.durationS,
        timeout: o.timeoutS ?? 120,
        ...(o.vary
          ? {
              requests: [
                {
                  setupRequest: (req: autocannon.Request) => {
                    const v = (o.vary as NonNullable<typeof o.vary>)((n += 1));
                    return {
                      ...req,
                      ...(v.body !== undefined ? { body: v.body } : {}),
                      headers: { ...req.headers, ...v.headers },
                    };
                  },
                },
              ],
            }
          : {}),
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return {
    rps: result.requests.total / o.durationS,
    p50: pct(50),
    p95: pct(95),
    n: times.length,
    errors: result.errors + result.non2xx,
    statuses,
  };
}

export const formatLoad = (r: LoadResult, durationS: number): string =>
  r.n === 0
    ? `no request completed within ${durationS} s (${r.errors} errors)`
    : `${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.n} requests, ${r.errors} errors)`;
