import { hazardTopic, type HazardSignal, type HazardSnapshot } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { EscalationAction } from '../domain/escalation.ts';
import { isOpen, type HazardCommand, type Transition } from '../domain/hazard-state.ts';
import type { HazardDoc } from '../store/models.ts';

const SOURCE = 'inspections';

export function hazardSnapshot(doc: HazardDoc): HazardSnapshot {
  const { state } = doc;
  return {
    id: doc._id,
    version: doc.version,
    unitId: doc.unitId,
    unitName: doc.unit.name,
    countyCode: doc.countyCode,
    townshipCode: doc.townshipCode,
    villageCode: doc.villageCode,
    source: doc.source,
    ...(doc.sourceRef ? { sourceRef: { kind: doc.sourceRef.kind as HazardSnapshot['source'], id: doc.sourceRef.id } } : {}),
    ...(doc.campaignKey ? { campaignKey: doc.campaignKey } : {}),
    title: doc.title,
    grade: state.grade,
    status: state.status,
    round: state.round,
    ...(state.order && isOpen(state.status) ? { deadline: state.order.deadline } : {}),
    escalationLevel: doc.escalation.level,
    foundAt: doc.foundAt,
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    demo: doc.demo,
  };
}

/** What the hazard adds to its unit's risk: open or not, its grade, overdue or not. */
export function hazardSignal(doc: Pick<HazardDoc, 'state' | 'escalation'>): HazardSignal {
  const open = isOpen(doc.state.status);
  return { open, grade: doc.state.grade, overdue: open && doc.escalation.level !== 'none' };
}

export const recordedEntry = (doc: HazardDoc): OutboxEntry =>
  outboxEntry(hazardTopic, SOURCE, {
    type: 'inspections.hazard.recorded',
    key: doc.unitId,
    subject: doc._id,
    data: hazardSnapshot(doc),
  });

export const transitionedEntry = (
  doc: HazardDoc,
  previous: HazardSignal,
  transition: Transition,
  cmd: HazardCommand,
): OutboxEntry =>
  outboxEntry(hazardTopic, SOURCE, {
    type: 'inspections.hazard.transitioned',
    key: doc.unitId,
    subject: doc._id,
    data: {
      ...hazardSnapshot(doc),
      previous,
      command: transition.command,
      from: transition.from,
      ...(cmd.kind === 'reinspect' ? { passed: cmd.passed } : {}),
    },
  });

export const escalatedEntry = (
  doc: HazardDoc,
  previous: HazardSignal,
  action: EscalationAction | { kind: 'warning_interview' },
): OutboxEntry =>
  outboxEntry(hazardTopic, SOURCE, {
    type: 'inspections.hazard.escalated',
    key: doc.unitId,
    subject: doc._id,
    data: {
      ...hazardSnapshot(doc),
      previous,
      action: action.kind,
      level: doc.escalation.level,
      ...(action.kind === 'remind' ? { reminderNo: action.reminderNo, remindTo: action.to } : {}),
    },
  });
