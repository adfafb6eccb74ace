import { hazardTopic, type HazardSignal } from '@firegov/contracts';
import type { SignalChange } from '../../domain/signals.ts';
import { signalSource } from './risk-signals.ts';

type Counted = 'openMajorHazards' | 'openGeneralHazards' | 'overdueHazards';

/** What one hazard adds to its unit's counts. */
function contribution(s: HazardSignal): Record<Counted, number> {
  return {
    openMajorHazards: s.open && s.grade === 'major' ? 1 : 0,
    openGeneralHazards: s.open && s.grade === 'general' ? 1 : 0,
    overdueHazards: s.open && s.overdue ? 1 : 0,
  };
}

/**
 * Hazards (inspections): every event carries the hazard's contribution before it and the snapshot
 * after it, so the change is a difference of two contributions — independent of which transition
 * it was, and zero for events that move nothing (a reminder).
 */
export const hazardSignals = signalSource({
  topic: hazardTopic,
  toChange: (e): SignalChange | null => {
    const d = e.data;
    const after = contribution({
      open: ['open', 'rectifying', 'awaiting_reinspection'].includes(d.status),
      grade: d.grade,
      overdue: d.escalationLevel !== 'none',
    });
    const before = 'previous' in d ? contribution(d.previous) : contribution({ open: false, grade: d.grade, overdue: false });
    const deltas: SignalChange['deltas'] = {};
    for (const key of Object.keys(after) as Counted[]) {
      const delta = after[key] - before[key];
      if (delta !== 0) deltas[key] = delta;
    }
    return Object.keys(deltas).length ? { unitId: d.unitId, deltas } : null;
  },
});
