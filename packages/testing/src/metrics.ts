import { createHttpApp, createLogger, finishApp, listen } from '@firegov/kit';

/**
 * This process's metrics as Prometheus would scrape them: a bare platform app on port 0 answers
 * `GET /metrics` from the same meter provider every instrument in the process records into.
 */
export async function scrapeMetrics(): Promise<string> {
  const logger = createLogger({ service: 'scrape', level: 'silent' });
  const app = finishApp(createHttpApp({ logger, readiness: [] }), logger);
  const server = await listen(app, 0);
  try {
    const res = await fetch(`${server.url}/metrics`);
    return await res.text();
  } finally {
    await server.close();
  }
}

/** The value of one series: `name{...}` whose labels include every given one (undefined when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
