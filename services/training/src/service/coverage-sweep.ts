import { startLeasedInterval, type Logger, type Redis } from '@firegov/kit';
import type { ComplianceService } from './compliance.ts';

/** How often coverage is recomputed: certificates issued by exams and expiries show up within this. */
export const COVERAGE_SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Recomputes every unit's training coverage on one replica at a time (a Redis lease), so expiries
 * and certificates issued elsewhere reach entities' risk grade without a trigger of their own.
 * Writes (and announces) only the units whose coverage changed.
 */
export function startCoverageSweep(opts: {
  compliance: Pick<ComplianceService, 'recompute' | 'sweepTargets'>;
  redis: Redis;
  logger: Logger;
  intervalMs?: number;
  leaseKey?: string;
}): { stop: () => Promise<void> } {
  const intervalMs = opts.intervalMs ?? COVERAGE_SWEEP_INTERVAL_MS;
  return startLeasedInterval({
    redis: opts.redis,
    leaseKey: opts.leaseKey ?? 'training:coverage-sweep',
    leaseTtlMs: Math.max(60_000, intervalMs),
    intervalMs,
    work: async () => {
      const targets = await opts.compliance.sweepTargets();
      const changed = await opts.compliance.recompute(targets);
      opts.logger.info({ units: targets.length, changed }, 'training coverage sweep');
    },
    onError: (err) => opts.logger.error({ err }, 'training coverage sweep failed'),
  });
}
