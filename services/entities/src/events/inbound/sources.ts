import { assessmentSignals } from './assessments.ts';
import { hazardSignals } from './hazards.ts';
import type { SignalSource } from './risk-signals.ts';
import { sensorAlarmSignals } from './sensors.ts';
import { trainingSignals } from './training.ts';

/**
 * The other services' topics that move risk grades: inspections' hazards (open major/general,
 * overdue), assessment results, training coverage and sensors' active alarms.
 */
export const signalSources: readonly SignalSource[] = [hazardSignals, assessmentSignals, trainingSignals, sensorAlarmSignals];
