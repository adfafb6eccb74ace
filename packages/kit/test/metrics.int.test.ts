import { metricValue, scrapeMetrics } from '@firegov/testing';
import { countEscalations, createHttpApp, createLogger, finishApp, listen, type RunningServer } from '../src/index.ts';

// Every service answers GET /metrics (Prometheus text) on its own port: request durations by route
// template, never by raw path; and with METRICS_TOKEN only for a scraper that presents it.

const logger = createLogger({ service: 'test', level: 'silent' });
let server: RunningServer;
const TOKEN = 'scrape-token-0123456789';

beforeAll(async () => {
  const app = createHttpApp({ logger, readiness: [], metricsToken: TOKEN });
  app.get('/units/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  server = await listen(finishApp(app, logger), 0);
});
afterAll(async () => server?.close());

test('requests are measured by route template and status; a token guards the scrape', async () => {
  for (const id of ['u1', 'u2', 'u3']) expect((await fetch(`${server.url}/units/${id}`)).status).toBe(200);
  expect((await fetch(`${server.url}/no/such/path-1`)).status).toBe(404);
  countEscalations('hazards', 'mark_overdue', 2);

  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
  expect(wrong.status).toBe(401);
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const count = (labels: Record<string, string>) => metricValue(text, 'http_server_request_duration_count', labels);
  expect(count({ http_route: '/units/:id', http_response_status_code: '200' })).toBe(3);
  expect(count({ http_route: 'unmatched', http_response_status_code: '404' })).toBe(1);
  expect(text).not.toContain('path-1');
  expect(metricValue(text, 'firegov_escalations_total', { ladder: 'hazards', action: 'mark_overdue' })).toBe(2);
  // The same provider, scraped the way tests of other packages do.
  expect(metricValue(await scrapeMetrics(), 'firegov_escalations_total', { ladder: 'hazards' })).toBe(2);
});
