import { trainingComplianceTopic } from '@firegov/contracts';
import type { SignalChange } from '../../domain/signals.ts';
import { signalSource } from './risk-signals.ts';

/**
 * Training coverage (training service): the share of a unit's required person-role assignments
 * with valid training replaces the previous one. Events are keyed by unit id, so a unit's coverage
 * arrives in order. A unit with nothing required (null) and rule changes move nothing.
 */
export const trainingSignals = signalSource({
  topic: trainingComplianceTopic,
  toChange: (e): SignalChange | null => {
    if (e.type !== 'training.coverage.changed' || e.data.coverage === null) return null;
    return { unitId: e.data.unitId, set: { trainingCoverage: e.data.coverage } };
  },
});
