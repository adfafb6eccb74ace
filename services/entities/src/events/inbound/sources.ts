import { assessmentSignals } from './assessments.ts';
import { hazardSignals } from './hazards.ts';
import type { SignalSource } from './risk-signals.ts';
import { trainingSignals } from './training.ts';

/**
 * The other services' topics that move risk grades: inspections' hazards (open major/general,
 * overdue), assessment results and training coverage; sensors (alarms) plug in here next.
 */
export const signalSources: readonly SignalSource[] = [hazardSignals, assessmentSignals, trainingSignals];
