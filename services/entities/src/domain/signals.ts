import type { RiskSignals } from './risk.ts';

/**
 * What one of another service's events changes in a unit's signals: counts move by deltas; the
 * latest assessment and training coverage are replaced.
 */
export interface SignalChange {
  unitId: string;
  deltas?: Partial<Record<'openMajorHazards' | 'openGeneralHazards' | 'overdueHazards' | 'activeAlarms', number>>;
  set?: Pick<RiskSignals, 'latestAssessment' | 'trainingCoverage'>;
}

export function nextSignals(current: RiskSignals, change: SignalChange): RiskSignals {
  const next: RiskSignals = { ...current, ...change.set };
  // The latest assessment is the one assessed last, not the one delivered last: a late redelivery
  // of an older assessment must not replace a newer one (same date: the later message wins).
  const incoming = change.set?.latestAssessment;
  if (incoming && current.latestAssessment && current.latestAssessment.date > incoming.date) {
    next.latestAssessment = current.latestAssessment;
  }
  for (const [key, delta] of Object.entries(change.deltas ?? {}) as Array<[keyof NonNullable<SignalChange['deltas']>, number]>) {
    // Counts never go below zero, even if a close arrives for an open this replica never saw.
    next[key] = Math.max(0, (current[key] ?? 0) + delta);
  }
  return next;
}
