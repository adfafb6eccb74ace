import { assessmentTopic } from '@firegov/contracts';
import type { SignalChange } from '../../domain/signals.ts';
import { signalSource } from './risk-signals.ts';

/** Assessments pushed by agencies: the latest grade replaces the previous one; a withdrawal changes nothing yet. */
export const assessmentSignals = signalSource({
  topic: assessmentTopic,
  toChange: (e): SignalChange | null => {
    if (e.type === 'assessment.assessment.withdrawn') return null;
    return { unitId: e.data.unitId, set: { latestAssessment: { grade: e.data.grade, date: e.data.assessedOn } } };
  },
});
