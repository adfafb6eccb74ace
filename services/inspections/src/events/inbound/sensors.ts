import type { sensorFaultTopic } from '@firegov/contracts';
import type { ConsumedEvent } from '@firegov/events';
import type { NewHazard } from '../../domain/hazards.ts';
import type { HazardService } from '../../service/hazards.ts';

type FaultEvent = ConsumedEvent<typeof sensorFaultTopic>;
type FaultPersisted = Extract<FaultEvent, { type: 'sensors.fault.persisted' }>;
type FaultResolved = Extract<FaultEvent, { type: 'sensors.fault.resolved' }>;

/** The hazard of sensor fault `faultId`: derived from the fault, so its raise and its resolve meet. */
const hazardIdOf = (faultId: string): string => `hz_s_${faultId}`.slice(0, 120);

/** A persistent equipment fault becomes a hazard (source = sensor), once per fault however often delivered. */
export function hazardFromFault(event: FaultPersisted): { unitId: string; hazards: NewHazard[] } {
  const f = event.data;
  return {
    unitId: f.unitId,
    hazards: [
      {
        id: hazardIdOf(f.id),
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

/**
 * The device is healthy again: its hazard is closed by the device's own re-inspection, once (a
 * redelivery, or a hazard a person closed first, changes nothing). A resolve for a hazard this
 * service never recorded is logged and ignored by the hazard service, not dead-lettered.
 */
export function closeFaultHazard(hazards: Pick<HazardService, 'verifyFromDevice'>, event: FaultResolved) {
  const { id, deviceId, resolvedAt } = event.data;
  return hazards.verifyFromDevice(hazardIdOf(id), { deviceId, resolvedAt });
}
