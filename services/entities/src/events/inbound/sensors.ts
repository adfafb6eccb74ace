import { sensorsAlarmTopic } from '@firegov/contracts';
import type { SignalChange } from '../../domain/signals.ts';
import { signalSource } from './risk-signals.ts';

/**
 * Alarms (报警) from the sensors service: a unit's alarm counts from the moment it is raised until
 * it is cleared. Acknowledging, confirming, marking it false and escalating change nothing: the
 * alarm is still active (未处置) until the device's condition clears. Alarms at a household, not a
 * unit, are not the registry's to grade. Events are keyed by device id, so one alarm's raise
 * arrives before its clear; a redelivered raise is refused by its event id (applyRiskSignal).
 */
export const sensorAlarmSignals = signalSource({
  topic: sensorsAlarmTopic,
  toChange: (e): SignalChange | null => {
    const unitId = e.data.unitId;
    if (unitId === undefined) return null;
    if (e.type === 'sensors.alarm.raised') return { unitId, deltas: { activeAlarms: 1 } };
    if (e.type === 'sensors.alarm.cleared') return { unitId, deltas: { activeAlarms: -1 } };
    return null;
  },
});
