import { defineEnum, type ErrorDetail, invalidInput } from '@firegov/contracts';

// Agency credit (信用管理): a score every agency can reproduce from its own event list. It starts at
// 100 and each event of the last 365 days moves it by a fixed number of points, listed as data
// below, so the answer to "why is our score 83?" is the factor list, not a formula.

export const CreditEventKind = defineEnum({
  late_submission: { zh: '迟报', en: 'Late submission' },
  rejected_submission: { zh: '提交数据不合格被退回', en: 'Submission rejected as invalid' },
  audit_mismatch: { zh: '抽查结论不符', en: 'Audit found the assessment wrong' },
  audit_match: { zh: '抽查结论相符', en: 'Audit confirmed the assessment' },
  complaint_upheld: { zh: '投诉属实', en: 'Complaint upheld' },
  complaint_dismissed: { zh: '投诉不属实', en: 'Complaint dismissed' },
});
export type CreditEventKind = (typeof CreditEventKind.values)[number];

export interface CreditEvent {
  kind: CreditEventKind;
  /** ISO date-time the event happened. */
  at: string;
  /**
   * What the event is about; events with the same kind and ref count once. The caller must pass the
   * request's idempotency key for rejected_submission, so an agency retrying one bad request
   * (same key) is penalised once, and the assessment or audit id for the others.
   */
  ref?: string;
  detail?: string;
}

/** Points per event. A dismissed complaint is listed (it happened) but costs nothing. */
export const CREDIT_POINTS: Readonly<Record<CreditEventKind, number>> = {
  late_submission: -2,
  rejected_submission: -1,
  audit_mismatch: -10,
  audit_match: 1,
  complaint_upheld: -5,
  complaint_dismissed: 0,
};

export const CREDIT_START = 100;
export const CREDIT_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

export type CreditLevel = 'A' | 'B' | 'C' | 'D';

export interface CreditFactor {
  /** An event kind, or 'cap' / 'floor' when the score was held within 0..100. */
  kind: CreditEventKind | 'cap' | 'floor';
  count: number;
  points: number;
  /** Chinese label, as shown to agencies and county staff. */
  label: string;
}

export interface CreditScore {
  score: number;
  level: CreditLevel;
  /** Sum of `points` over the factors is always `score - 100`. */
  factors: CreditFactor[];
  /** Below 60 the county should consider suspending the agency's push access (a human decides). */
  suspendRecommended: boolean;
  /** Events at or after this instant (and not after `now`) counted. */
  windowStart: string;
}

/** A ≥ 90, B ≥ 75, C ≥ 60, D below. */
export function creditLevel(score: number): CreditLevel {
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  return 'D';
}

/**
 * The agency's credit at `now` from its events (one agency's events per call). Counted: events in
 * the rolling year [now − 365 days, now]; events after `now` are ignored so a past score can be
 * recomputed exactly. Events with the same kind and ref count once, at their earliest time, so a
 * replay does not reset when the penalty expires. Matched audits can offset deductions but the
 * score never exceeds 100 or falls below 0; when that limit bites it is a factor of its own.
 */
export function creditScore(events: readonly CreditEvent[], now: Date): CreditScore {
  const problems: ErrorDetail[] = [];
  const known = new Set<string>(CreditEventKind.values);
  events.forEach((event, index) => {
    if (!known.has(event.kind))
      problems.push({ path: `$[${index}].kind`, reason: `"${String(event.kind)}" is not a credit event kind` });
    if (Number.isNaN(Date.parse(event.at))) problems.push({ path: `$[${index}].at`, reason: 'must be an ISO date-time' });
  });
  if (problems.length > 0) throw invalidInput('credit events are invalid', problems);

  const earliest = new Map<string, CreditEvent>();
  const unkeyed: CreditEvent[] = [];
  for (const event of events) {
    if (event.ref === undefined) {
      unkeyed.push(event);
      continue;
    }
    const key = `${event.kind}\u0000${event.ref}`;
    const seen = earliest.get(key);
    if (seen === undefined || Date.parse(event.at) < Date.parse(seen.at)) earliest.set(key, event);
  }

  const end = now.getTime();
  const start = end - CREDIT_WINDOW_DAYS * DAY_MS;
  const counts = new Map<CreditEventKind, number>();
  for (const event of [...unkeyed, ...earliest.values()]) {
    const at = Date.parse(event.at);
    if (at < start || at > end) continue;
    counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
  }

  const factors: CreditFactor[] = [];
  for (const kind of CreditEventKind.values) {
    const count = counts.get(kind) ?? 0;
    if (count > 0) factors.push({ kind, count, points: count * CREDIT_POINTS[kind], label: CreditEventKind.label(kind) });
  }
  const raw = factors.reduce((sum, factor) => sum + factor.points, CREDIT_START);
  const score = Math.min(100, Math.max(0, raw));
  if (raw > 100) factors.push({ kind: 'cap', count: 1, points: 100 - raw, label: '加分后超过100分，按100分封顶' });
  if (raw < 0) factors.push({ kind: 'floor', count: 1, points: -raw, label: '扣分后低于0分，按0分计' });

  return {
    score,
    level: creditLevel(score),
    factors,
    suspendRecommended: score < 60,
    windowStart: new Date(start).toISOString(),
  };
}
