// The drill's steady load: an agency's system pushing assessments at a fixed rate, as a careful
// integrator would — each push under its own Idempotency-Key, retried with the same key and body
// until the platform answers 201 (a refused connection, a 5xx, a 429 or an expired token are all
// retried), so that "accepted" means exactly what the agency was told.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AcceptedPush } from './ledger.ts';

export interface PushLoadOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  licenceNo: string;
  unitIds: readonly string[];
  ratePerSecond: number;
  /** Stamped into every key, so two drills never share one. */
  runId: string;
}

export interface PushStats {
  /** Pushes begun. */
  sent: number;
  /** Attempts beyond the first, over all pushes. */
  retries: number;
  /** Answers that will not change on retry (a 4xx other than 401, 408, 409, 429): a bug in the drill or the service. */
  refused: Array<{ key: string; status: number; body: string }>;
  /** Pushes still being retried. */
  inFlight: number;
  /** The longest a push waited from its first attempt to its 201, in ms. */
  longestWaitMs: number;
  /** Answers other than 201 by status, and failed requests by error (e.g. ECONNREFUSED): how the platform answered a fault. */
  answers: Record<string, number>;
}

export interface PushLoad {
  readonly accepted: readonly AcceptedPush[];
  readonly stats: PushStats;
  /** Stops starting pushes; resolves when every push begun was accepted, refused, or `giveUpMs` passed. */
  stop(giveUpMs: number): Promise<void>;
}

const SHA = 'd'.repeat(64);
const RETRYABLE = new Set([401, 408, 409, 425, 429]);

/** ECONNREFUSED, a timeout, or the error's name: what a failed request met. */
function errorKind(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.name : 'error';
}

export function findingIds(n: number): string[] {
  return Array.from({ length: 1 + (n % 2) }, (_, i) => `F-${i + 1}`);
}

function pushBody(unitId: string, licenceNo: string, n: number): string {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return JSON.stringify({
    unit: { unitId },
    engineerLicence: licenceNo,
    assessedOn: today,
    method: 'on_site',
    // Grade C is a score of 60–69 (the service checks that they agree).
    score: 60 + (n % 10),
    grade: 'C',
    findings: findingIds(n).map((id, i) => ({
      id,
      category: i === 0 ? 'evacuation' : 'extinguishers',
      severity: 'general',
      description: `演练推送${n}的问题${i + 1}：疏散通道堆放杂物`,
      location: `${i + 1}F`,
      evidence: [{ url: `https://files.drill.example/${n}/${i}.jpg`, sha256: SHA }],
    })),
    report: { url: `https://files.drill.example/${n}/report.pdf`, sha256: SHA },
  });
}

export function startPushLoad(o: PushLoadOptions): PushLoad {
  const accepted: AcceptedPush[] = [];
  const stats: PushStats = { sent: 0, retries: 0, refused: [], inFlight: 0, longestWaitMs: 0, answers: {} };
  const count = (what: string) => {
    stats.answers[what] = (stats.answers[what] ?? 0) + 1;
  };
  let token: Promise<string> | undefined;
  let stopping = false;
  let deadline = Number.POSITIVE_INFINITY;
  const pending = new Set<Promise<void>>();

  const fetchToken = async (): Promise<string> => {
    const res = await fetch(`${o.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`token: ${res.status}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const currentToken = (): Promise<string> => {
    token ??= fetchToken().catch((err: unknown) => {
      token = undefined;
      throw err;
    });
    return token;
  };

  const push = async (n: number): Promise<void> => {
    const key = `${o.runId}-${n}`;
    const unitId = o.unitIds[n % o.unitIds.length]!;
    const body = pushBody(unitId, o.licenceNo, n);
    const began = Date.now();
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      if (attempt > 0) {
        stats.retries += 1;
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
      }
      try {
        const bearer = await currentToken();
        const res = await fetch(`${o.baseUrl}/v1/assessments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status === 201) {
          const { id } = JSON.parse(text) as { id: string };
          accepted.push({ idempotencyKey: key, assessmentId: id, unitId, findingIds: findingIds(n) });
          stats.longestWaitMs = Math.max(stats.longestWaitMs, Date.now() - began);
          return;
        }
        count(String(res.status));
        if (res.status === 401) token = undefined;
        if (res.status < 500 && !RETRYABLE.has(res.status)) {
          stats.refused.push({ key, status: res.status, body: text.slice(0, 300) });
          return;
        }
      } catch (err) {
        // Refused connection, reset, timeout: the push may or may not have landed; the same key tells.
        count(errorKind(err));
      }
    }
  };

  const interval = 1000 / o.ratePerSecond;
  const t0 = Date.now();
  const pacer = (async () => {
    while (!stopping) {
      const n = stats.sent;
      stats.sent += 1;
      stats.inFlight += 1;
      const p = push(n).finally(() => {
        stats.inFlight -= 1;
        pending.delete(p);
      });
      pending.add(p);
      const next = t0 + (n + 1) * interval;
      await sleep(Math.max(0, next - Date.now()));
    }
  })();

  return {
    accepted,
    stats,
    async stop(giveUpMs) {
      stopping = true;
      await pacer;
      deadline = Date.now() + giveUpMs;
      await Promise.all([...pending]);
    },
  };
}
