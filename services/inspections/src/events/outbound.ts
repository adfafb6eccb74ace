import {
  caseTopic,
  hazardTopic,
  inspectionTopic,
  reportTopic,
  supervisionTopic,
  type HazardSignal,
  type HazardSnapshot,
} from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { EscalationAction } from '../domain/escalation.ts';
import { isOpen, type HazardCommand, type Transition } from '../domain/hazard-state.ts';
import type { ScheduleReason } from '../domain/supervision.ts';
import type {
  EnforcementDoc,
  HazardDoc,
  IncidentDoc,
  InspectionDoc,
  ReportDoc,
  ScheduleDoc,
  SupervisionPolicyDoc,
} from '../store/models.ts';

// Every event this service emits, built from the document as it is written (the events travel in
// that document's outbox). Reporter data never leaves: report events carry no contact, no media.

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
    ...(doc.sourceRef ? { sourceRef: { kind: doc.sourceRef.kind, id: doc.sourceRef.id } } : {}),
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

export const hazardRecorded = (doc: HazardDoc): OutboxEntry =>
  outboxEntry(hazardTopic, SOURCE, {
    type: 'inspections.hazard.recorded',
    key: doc.unitId,
    subject: doc._id,
    data: hazardSnapshot(doc),
  });

export const hazardTransitioned = (
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

export const hazardEscalated = (
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

export const inspectionRecorded = (doc: InspectionDoc): OutboxEntry =>
  outboxEntry(inspectionTopic, SOURCE, {
    type: 'inspections.inspection.recorded',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      unitId: doc.unitId,
      villageCode: doc.unit.villageCode,
      kind: doc.kind,
      ...(doc.campaignKey ? { campaignKey: doc.campaignKey } : {}),
      inspectedAt: doc.inspectedAt,
      passed: doc.results.filter((r) => r.outcome === 'pass').length,
      failed: doc.results.filter((r) => r.outcome === 'fail').length,
      hazardIds: doc.hazardIds,
      demo: doc.demo,
    },
  });

export const reportReceived = (doc: ReportDoc): OutboxEntry =>
  outboxEntry(reportTopic, SOURCE, {
    type: 'inspections.report.received',
    key: doc._id,
    data: {
      id: doc._id,
      category: doc.category,
      jurisdictionCode: doc.jurisdictionCode,
      anonymous: doc.anonymous,
      whistleblower: doc.whistleblower,
      receivedAt: doc.receivedAt,
    },
  });

/** After triage: the outcome and whether the reporter earned a reward, nothing about the reporter. */
export const reportTriaged = (doc: ReportDoc): OutboxEntry =>
  outboxEntry(reportTopic, SOURCE, {
    type: 'inspections.report.triaged',
    key: doc._id,
    data: {
      id: doc._id,
      jurisdictionCode: doc.jurisdictionCode,
      outcome: doc.status === 'triaged_hazard' ? 'triaged_hazard' : 'closed',
      ...(doc.hazardId ? { hazardId: doc.hazardId } : {}),
      rewardEligible: doc.reward?.eligible ?? false,
    },
  });

export const enforcementChanged = (doc: EnforcementDoc): OutboxEntry =>
  outboxEntry(caseTopic, SOURCE, {
    type: 'inspections.enforcement.changed',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      unitId: doc.unitId,
      hazardId: doc.hazardId,
      status: doc.status,
      measures: doc.measures,
      ...(doc.fineYuan !== undefined ? { fineYuan: doc.fineYuan } : {}),
    },
  });

export const incidentChanged = (doc: IncidentDoc): OutboxEntry =>
  outboxEntry(caseTopic, SOURCE, {
    type: 'inspections.incident.changed',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      unitId: doc.unitId,
      villageCode: doc.unit.villageCode,
      status: doc.status,
      severity: doc.severity,
      occurredAt: doc.occurredAt,
      deaths: doc.deaths,
      injuries: doc.injuries,
    },
  });

/** 分级分类监管: a unit's next inspection was set or moved. */
export const scheduled = (doc: ScheduleDoc, reason: ScheduleReason): OutboxEntry =>
  outboxEntry(supervisionTopic, SOURCE, {
    type: 'inspections.supervision.scheduled',
    key: doc._id,
    subject: doc._id,
    data: {
      unitId: doc._id,
      countyCode: doc.countyCode,
      townshipCode: doc.townshipCode,
      villageCode: doc.villageCode,
      grade: doc.grade,
      intervalMonths: doc.intervalMonths,
      dueAt: doc.dueAt,
      ...(doc.lastInspectedAt ? { lastInspectedAt: doc.lastInspectedAt } : {}),
      reason,
      demo: doc.demo,
    },
  });

/** An overdue inspection climbed the ladder (逾期 → 挂牌督办) or its holder was reminded. */
export const scheduleEscalated = (doc: ScheduleDoc, action: EscalationAction): OutboxEntry =>
  outboxEntry(supervisionTopic, SOURCE, {
    type: 'inspections.supervision.escalated',
    key: doc._id,
    subject: doc._id,
    data: {
      unitId: doc._id,
      villageCode: doc.villageCode,
      dueAt: doc.dueAt,
      action: action.kind,
      level: doc.escalation.level,
      ...(action.kind === 'remind' ? { reminderNo: action.reminderNo, remindTo: action.to } : {}),
    },
  });

export const intervalsChanged = (doc: SupervisionPolicyDoc): OutboxEntry =>
  outboxEntry(supervisionTopic, SOURCE, {
    type: 'inspections.supervision.intervals_changed',
    key: doc._id,
    subject: doc._id,
    data: {
      countyCode: doc._id,
      intervals: doc.intervals,
      version: doc.version,
      changedBy: doc.changedBy,
      changedAt: doc.changedAt,
    },
  });
