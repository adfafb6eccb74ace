import { assessmentSignals } from './assessments.ts';
import { hazardSignals } from './hazards.ts';
import type { SignalSource } from './risk-signals.ts';

/**
 * The other services' topics that move risk grades: inspections' hazards (open major/general,
 * overdue) and assessment results; sensors (alarms) and training (coverage) plug in here next.
 */
export const signalSources: readonly SignalSource[] = [hazardSignals, assessmentSignals];
