import { ownerOf, type Picker, type Scenario } from './types.ts';

// Agencies' systems pushing assessment results at once (the year-end deadline, or queues flushed
// after an outage), through the assessment service's push API with OAuth2 client credentials.
//
// Rate: a county has some 5,000 agency assessments a year from about ten agencies. In a storm each
// agency's system uploads its backlog at a few pushes a second: ten of them at ~3/s is 30/s, for
// 30 s (900 pushes, a county's two months of results). One push in ten is an idempotent retry, as a
// client that timed out sends again: the same Idempotency-Key and body as a push 25 earlier, which
// must be answered with the first answer, replayed (201, `Idempotent-Replayed: true`, the same unit,
// version 1). Thresholds: the push API's goal (issue 5: p95 < 50 ms), p99 < 200 ms, < 1 % failed.
//
// Each push is a new assessment of a unit in the agency's contract (a quarter with one finding,
// which inspections turns into a hazard), so the scenario leaves its assessments behind.

/** One push in RETRY_EVERY re-sends the push RETRY_LAG iterations earlier (never itself a retry). */
export const RETRY_EVERY = 10;
export const RETRY_LAG = 25;

/** The iteration whose push iteration n sends: itself, or for a retry the earlier one it repeats. */
export const pushOf = (n: number): number => (n >= RETRY_LAG && n % RETRY_EVERY === RETRY_EVERY - 1 ? n - RETRY_LAG : n);

const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const CATEGORIES = ['evacuation', 'extinguishers', 'alarm', 'electrical', 'fire_lane', 'management'] as const;

/** The push of iteration m: everything comes from m and the run, so a retry sends the same bytes. */
export function pushBody(pick: Picker, m: number): Record<string, unknown> {
  const unitId = pick('unitId', m);
  const score = 50 + (m % 50);
  const grade = score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 60 ? 'C' : 'D';
  const files = `https://files.load-test.example/${pick('run')}/${m}`;
  // The assessment date is the run's day in Beijing: never in the future, never late.
  const assessedOn = new Date(Date.parse(pick('startedAt')) + 8 * 3_600_000).toISOString().slice(0, 10);
  const findings =
    m % 4 === 0
      ? [
          {
            id: 'F-1',
            category: CATEGORIES[m % CATEGORIES.length],
            severity: 'general',
            description: `压测评估发现问题（第${m}次推送）：疏散通道堆放杂物`,
            location: '1F 东侧楼梯间',
            evidence: [{ url: `${files}/F-1.jpg`, sha256: SHA }],
          },
        ]
      : [];
  return {
    unit: { unitId },
    engineerLicence: pick('licence', m),
    assessedOn,
    method: m % 2 ? 'on_site' : 'combined',
    score,
    grade,
    findings,
    report: { url: `${files}/report.pdf`, sha256: SHA },
  };
}

export const agencyPushStorm: Scenario = {
  name: 'agency_push_storm',
  description: 'agencies push assessments (POST /v1/assessments, Idempotency-Key), one in ten an idempotent retry',
  auth: {
    kind: 'client',
    target: 'assessment',
    tokenPath: '/oauth/token',
    clientIdEnv: 'AGENCY_CLIENT_ID',
    clientSecretEnv: 'AGENCY_CLIENT_SECRET',
  },
  setup: {
    // A township officer of the township the agency's contract covers: its units and the agency's engineers.
    as: { role: 'township_officer', jurisdiction: '500230213000' },
    graphql: {
      operationName: 'PushTargets',
      query: 'query PushTargets { units(first: 100) { nodes { id } } agencies { id engineers { licenceNo } } }',
    },
    extract: (data, { clientId }) => {
      const d = data as {
        units: { nodes: Array<{ id: string }> };
        agencies: Array<{ id: string; engineers: Array<{ licenceNo: string }> }>;
      };
      const agency = d.agencies.find((a) => a.id === ownerOf(clientId ?? ''));
      return { unitId: d.units.nodes.map((u) => u.id), licence: (agency?.engineers ?? []).map((e) => e.licenceNo) };
    },
  },
  requests: [
    {
      name: 'push (one in ten a retry)',
      rest: {
        target: 'assessment',
        build: (pick, n) => {
          const m = pushOf(n);
          const unitId = pick('unitId', m);
          return {
            method: 'POST',
            path: '/v1/assessments',
            headers: { 'idempotency-key': `load-${pick('run')}-${m}` },
            body: pushBody(pick, m),
            expect:
              m === n
                ? { statuses: [201], body: { unitId } }
                : { statuses: [201], headers: { 'idempotent-replayed': 'true' }, body: { unitId, version: 1 } },
          };
        },
      },
    },
  ],
  load: { ratePerSecond: 30, durationS: 30, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 50, p99Ms: 200 },
};
