import type { ReadinessCheck } from '@firegov/kit';
import type { SubgraphEndpoint } from './env.ts';

/** The gateway is ready when every subgraph answers `{ __typename }` (no token needed, no data read). */
export function subgraphReadiness(subgraphs: readonly SubgraphEndpoint[], timeoutMs = 1500): ReadinessCheck[] {
  return subgraphs.map((s) => ({
    name: `subgraph:${s.name}`,
    async check() {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await res.json().catch(() => undefined)) as { data?: { __typename?: unknown } } | undefined;
      if (!res.ok || typeof body?.data?.__typename !== 'string') throw new Error(`${s.url} answered HTTP ${res.status}`);
    },
  }));
}
