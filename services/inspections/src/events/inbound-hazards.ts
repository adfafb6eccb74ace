import { assessmentTopic, sensorFaultTopic, type TopicDef } from '@firegov/contracts';
import { PermanentError, startConsumer, type ConsumedEvent, type Publisher, type RunningConsumer } from '@firegov/events';
import type { Logger } from '@firegov/kit';
import type { Kafka } from 'kafkajs';
import type { HazardService } from '../service/hazards.ts';
import type { InspectionsModels, UnitRefDoc } from '../store/models.ts';

type Inbound = ConsumedEvent<typeof assessmentTopic> | ConsumedEvent<typeof sensorFaultTopic>;

async function knownUnit(models: InspectionsModels, unitId: string): Promise<UnitRefDoc> {
  const unit = await models.units.findById(unitId).lean<UnitRefDoc>();
  // Permanent: retrying will not make the unit exist; the dead letter can be replayed once it does.
  if (!unit) throw new PermanentError(`unit ${unitId} is not in the registry`);
  return unit;
}

/**
 * Hazards from other services: an agency's assessment findings (source = assessment, with a back
 * reference to the assessment and finding) and persistent equipment faults from sensors. Hazard ids
 * derive from the source record, so a redelivered or amended assessment creates each finding's
 * hazard once. A withdrawn assessment leaves its hazards: once recorded, a hazard closes only by a
 * re-inspection, whoever reported it.
 */
export async function handleInbound(models: InspectionsModels, hazards: HazardService, event: Inbound): Promise<number> {
  switch (event.type) {
    case 'assessment.assessment.submitted':
    case 'assessment.assessment.amended': {
      const a = event.data;
      const unit = await knownUnit(models, a.unitId);
      let created = 0;
      for (const f of a.findings) {
        const res = await hazards.create(unit, {
          id: `hz_a_${a.id}_${f.id}`.slice(0, 120),
          unitId: unit._id,
          source: 'assessment',
          sourceRef: { kind: 'assessment', id: `${a.id}#${f.id}` },
          title: `[${f.category}] ${f.description}`.slice(0, 200),
          description: f.description,
          location: f.location,
          factorCodes: f.factorCodes ?? [],
          proposedGrade: f.severity,
          evidence: f.evidence,
          foundAt: new Date(`${a.assessedOn}T00:00:00+08:00`).toISOString(),
          foundBy: `agency:${a.agencyId}`,
        });
        if (res.created) created += 1;
      }
      return created;
    }
    case 'assessment.assessment.withdrawn':
      return 0;
    case 'sensors.fault.persisted': {
      const f = event.data;
      const unit = await knownUnit(models, f.unitId);
      const res = await hazards.create(unit, {
        id: `hz_s_${f.id}`.slice(0, 120),
        unitId: unit._id,
        source: 'sensor',
        sourceRef: { kind: 'sensor', id: f.id },
        title: `消防设施故障 (${f.kind}): ${f.description}`.slice(0, 200),
        description: `${f.description} (device ${f.deviceId}, since ${f.since})`,
        factorCodes: [],
        evidence: [],
        foundAt: f.since,
        foundBy: `device:${f.deviceId}`,
      });
      return res.created ? 1 : 0;
    }
  }
}

export async function startInboundHazards(opts: {
  kafka: Kafka;
  publisher: Publisher;
  logger: Logger;
  models: InspectionsModels;
  hazards: HazardService;
  topicPrefix?: string;
  groupId?: string;
}): Promise<RunningConsumer> {
  return startConsumer<TopicDef>({
    kafka: opts.kafka,
    groupId: opts.groupId ?? 'inspections.inbound-hazards',
    topics: [assessmentTopic, sensorFaultTopic],
    ...(opts.topicPrefix !== undefined ? { topicPrefix: opts.topicPrefix } : {}),
    publisher: opts.publisher,
    logger: opts.logger,
    handler: async (event) => {
      await handleInbound(opts.models, opts.hazards, event as unknown as Inbound);
    },
  });
}
