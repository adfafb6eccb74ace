import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Defined before the sensors service existed, so inspections (hazards from sensor faults) could be
// written and tested against it; sensors publishes exactly this.

const isoTime = z.iso.datetime({ offset: true });

export const sensorFaultTopic = defineTopic({
  name: 'firegov.sensors.faults.v1',
  owner: 'sensors',
  description:
    'Fire-protection equipment faults that persisted past their grace period (offline detector, low sprinkler pressure, disabled alarm panel): each becomes a hazard in inspections, and is resolved when the device is healthy again.',
  keyedBy: 'unit id',
  events: {
    'sensors.fault.persisted': z.object({
      id: z.string().min(1),
      deviceId: z.string().min(1),
      unitId: z.string().min(1),
      kind: z.enum(['offline', 'low_pressure', 'panel_disabled', 'fault']),
      since: isoTime,
      description: z.string().min(1),
    }),
    /** The device is healthy again: the hazard of fault `id` is rectified. */
    'sensors.fault.resolved': z.object({
      id: z.string().min(1),
      deviceId: z.string().min(1),
      unitId: z.string().min(1),
      resolvedAt: isoTime,
    }),
  },
});
