import type { sensorFaultTopic } from '@firegov/contracts';
import type { ConsumedEvent } from '@firegov/events';
import type { NewHazard } from '../../domain/hazards.ts';

/** A persistent equipment fault becomes a hazard (source = sensor), once per fault however often delivered. */
export function hazardFromFault(event: ConsumedEvent<typeof sensorFaultTopic>): { unitId: string; hazards: NewHazard[] } {
  const f = event.data;
  return {
    unitId: f.unitId,
    hazards: [
      {
        id: `hz_s_${f.id}`.slice(0, 120),
        unitId: f.unitId,
        source: 'sensor',
        sourceRef: { kind: 'sensor', id: f.id },
        title: `消防设施故障 (${f.kind}): ${f.description}`.slice(0, 200),
        description: `${f.description} (device ${f.deviceId}, since ${f.since})`,
        factorCodes: [],
        evidence: [],
        foundAt: f.since,
        foundBy: `device:${f.deviceId}`,
      },
    ],
  };
}
