import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Contracts of services not built yet whose events the built ones already consume. Defined here
// first so inspections (hazards from sensor faults) can be written and tested against them; the
// owning service must publish exactly this.

const isoTime = z.iso.datetime({ offset: true });

export const sensorFaultTopic = defineTopic({
  name: 'firegov.sensors.faults.v1',
  owner: 'sensors',
  description:
    'Fire-protection equipment faults that persisted past their grace period (offline detector, low sprinkler pressure, disabled alarm panel): each becomes a hazard in inspections.',
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
  },
});
