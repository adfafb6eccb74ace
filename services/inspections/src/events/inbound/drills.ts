import type { trainingOutreachTopic } from '@firegov/contracts';
import type { ConsumedEvent } from '@firegov/events';
import type { NewHazard } from '../../domain/hazards.ts';

type OutreachEvent = ConsumedEvent<typeof trainingOutreachTopic>;

/**
 * A unit drill's findings (training's 演练 records): each becomes a hazard (source = drill) pointing
 * back to the drill and finding. The id derives from both, so a redelivered drill event records
 * each finding once. Village drills (no unit) and team-training sessions propose nothing.
 */
export function hazardsFromDrill(event: OutreachEvent): { unitId: string; hazards: NewHazard[] } | null {
  if (event.type !== 'training.drill.recorded') return null;
  const d = event.data;
  if (!d.unitId || d.findings.length === 0) return null;
  const unitId = d.unitId;
  return {
    unitId,
    hazards: d.findings.map((f) => ({
      id: `hz_d_${d.id}_${f.id}`.slice(0, 120),
      unitId,
      source: 'drill',
      sourceRef: { kind: 'drill', id: `${d.id}#${f.id}` },
      title: `[演练] ${f.description}`.slice(0, 200),
      description: `${f.description} (演练: ${d.scenario}, ${d.date})`,
      ...(f.location ? { location: f.location } : {}),
      factorCodes: [],
      proposedGrade: f.severity,
      evidence: [],
      foundAt: new Date(`${d.date}T00:00:00+08:00`).toISOString(),
      foundBy: `training:${d.recordedBy}`,
    })),
  };
}
