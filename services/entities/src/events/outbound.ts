import {
  committeeTopic,
  departmentTopic,
  fireForceTopic,
  householdTopic,
  jurisdictionTopic,
  unitTopic,
  type UnitSnapshot,
} from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type {
  CommitteeDoc,
  CommitteeSessionDoc,
  DepartmentDoc,
  FireTeamDoc,
  FireWarningDoc,
  HouseholdDoc,
  JurisdictionDoc,
  ListItemDoc,
  UnitDoc,
} from '../store/models.ts';

// Every event entities emits, built from the documents it is about. Each lands in the outbox of
// that document in the same write as the change it announces (service/).

export const SOURCE = 'entities';

/** The unit as other services see it: no personal data. */
export function unitSnapshot(doc: UnitDoc): UnitSnapshot {
  return {
    id: doc._id,
    version: doc.version,
    name: doc.name,
    ...(doc.creditCode ? { creditCode: doc.creditCode } : {}),
    category: doc.category,
    countyCode: doc.countyCode,
    townshipCode: doc.townshipCode,
    villageCode: doc.villageCode,
    ...(doc.gridCode ? { gridCode: doc.gridCode } : {}),
    address: doc.address,
    ...(doc.location?.lat !== undefined ? { location: doc.location } : {}),
    buildingUse: doc.buildingUse,
    floors: doc.floors,
    undergroundFloors: doc.undergroundFloors,
    heightM: doc.heightM,
    occupancy: doc.occupancy,
    keyUnit: doc.keyUnit,
    highRise: doc.highRise,
    selfBuiltTarget: doc.selfBuiltTarget,
    ...(doc.supervisingDepartment ? { supervisingDepartment: doc.supervisingDepartment } : {}),
    riskGrade: doc.risk.grade,
    riskScore: doc.risk.score,
    status: doc.status,
    demo: doc.demo,
  };
}

function unitRiskGraded(doc: UnitDoc, previous?: UnitDoc): OutboxEntry {
  return outboxEntry(unitTopic, SOURCE, {
    type: 'entities.unit.risk_graded',
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      villageCode: doc.villageCode,
      score: doc.risk.score,
      grade: doc.risk.grade,
      ...(previous ? { previousGrade: previous.risk.grade } : {}),
      factors: doc.risk.factors,
    },
  });
}

/** `risk_graded` when the grade or the score moved from `previous` to `next`; nothing otherwise. */
export function unitRegraded(next: UnitDoc, previous: UnitDoc): OutboxEntry[] {
  const moved = next.risk.grade !== previous.risk.grade || next.risk.score !== previous.risk.score;
  return moved ? [unitRiskGraded(next, previous)] : [];
}

/** A new unit: its snapshot, then its first grade. */
export function unitRegistered(doc: UnitDoc): OutboxEntry[] {
  return [
    outboxEntry(unitTopic, SOURCE, { type: 'entities.unit.registered', key: doc._id, subject: doc._id, data: unitSnapshot(doc) }),
    unitRiskGraded(doc),
  ];
}

/** A changed unit: its snapshot with the names of the changed fields, and a new grade if it moved. */
export function unitUpdated(next: UnitDoc, previous: UnitDoc, changed: string[]): OutboxEntry[] {
  return [
    outboxEntry(unitTopic, SOURCE, {
      type: 'entities.unit.updated',
      key: next._id,
      subject: next._id,
      data: { ...unitSnapshot(next), changed },
    }),
    ...unitRegraded(next, previous),
  ];
}

export function unitDeregistered(doc: UnitDoc, reason: string): OutboxEntry {
  return outboxEntry(unitTopic, SOURCE, {
    type: 'entities.unit.deregistered',
    key: doc._id,
    subject: doc._id,
    data: { ...unitSnapshot(doc), reason },
  });
}

export function jurisdictionRegistered(doc: JurisdictionDoc): OutboxEntry {
  return outboxEntry(jurisdictionTopic, SOURCE, {
    type: 'entities.jurisdiction.registered',
    key: doc._id,
    subject: doc._id,
    data: {
      code: doc._id,
      name: doc.name,
      level: doc.level,
      ...(doc.parentCode ? { parentCode: doc.parentCode } : {}),
      demo: doc.demo,
    },
  });
}

/** Without members' names or ID numbers: how many, and why the village looks after them. */
export function householdRegistered(doc: HouseholdDoc, type: 'registered' | 'updated' = 'registered'): OutboxEntry {
  return outboxEntry(householdTopic, SOURCE, {
    type: `entities.household.${type}`,
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      villageCode: doc.villageCode,
      ...(doc.gridCode ? { gridCode: doc.gridCode } : {}),
      memberCount: doc.members.length,
      vulnerabilities: [...new Set(doc.members.flatMap((m) => m.vulnerabilities))],
      devices: doc.devices,
      demo: doc.demo,
    },
  });
}

export function fireTeamRegistered(doc: FireTeamDoc, type: 'registered' | 'updated' = 'registered'): OutboxEntry {
  return outboxEntry(fireForceTopic, SOURCE, {
    type: `entities.fireteam.${type}`,
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      villageCode: doc.villageCode,
      kind: doc.kind,
      memberCount: doc.members.length,
      equipmentItems: doc.equipment.length,
      demo: doc.demo,
    },
  });
}

const listItems = (items: readonly ListItemDoc[]) =>
  items.map((i) => ({
    id: i.id,
    title: i.title,
    owner: i.owner,
    ...(i.deadline ? { deadline: i.deadline } : {}),
    status: i.status,
    ...(i.origin ? { origin: i.origin } : {}),
  }));

function departmentSnapshot(doc: DepartmentDoc) {
  return {
    code: doc._id,
    name: doc.name,
    holder: doc.holder ?? 'department',
    ...(doc.leaderTitle ? { leaderTitle: doc.leaderTitle } : {}),
    jurisdictionCode: doc.jurisdictionCode,
    version: doc.version ?? 1,
    responsibilities: listItems(doc.responsibilities),
    tasks: listItems(doc.tasks),
    demo: doc.demo,
  };
}

/** A department registered, or its name or lists changed (`changed` names which). */
export const departmentChanged = (doc: DepartmentDoc, changed?: readonly string[]): OutboxEntry =>
  outboxEntry(departmentTopic, SOURCE, {
    ...(changed
      ? { type: 'entities.department.updated' as const, data: { ...departmentSnapshot(doc), changed: [...changed] } }
      : { type: 'entities.department.registered' as const, data: departmentSnapshot(doc) }),
    key: doc._id,
    subject: doc._id,
  });

/** One item of a list was set to a new status (by hand; overdue by the clock is read, not written). */
export const listItemChanged = (
  doc: DepartmentDoc,
  change: {
    list: 'responsibilities' | 'tasks';
    itemId: string;
    from: ListItemDoc['status'];
    to: ListItemDoc['status'];
    by: string;
  },
): OutboxEntry =>
  outboxEntry(departmentTopic, SOURCE, {
    type: 'entities.department.list_item_changed',
    key: doc._id,
    subject: doc._id,
    data: {
      ...departmentSnapshot(doc),
      list: change.list,
      itemId: change.itemId,
      from: change.from,
      to: change.to,
      changedBy: change.by,
    },
  });

/** A county set its village readiness targets. */
export const readinessPolicyChanged = (
  countyCode: string,
  p: { requiredMembers: number; minTrainingHoursPerYear: number; changedBy: string; changedAt: string },
): OutboxEntry =>
  outboxEntry(fireForceTopic, SOURCE, {
    type: 'entities.fireforce.readiness_policy_changed',
    key: countyCode,
    subject: countyCode,
    data: { countyCode, ...p },
  });

/** 通报 / 约谈 of an overdue list item. */
export const listItemEscalated = (
  doc: DepartmentDoc,
  e: {
    list: 'responsibilities' | 'tasks';
    itemId: string;
    step: 'notice' | 'interview_due' | 'interviewed';
    daysOverdue: number;
  },
): OutboxEntry =>
  outboxEntry(departmentTopic, SOURCE, {
    type: 'entities.department.list_item_escalated',
    key: doc._id,
    subject: doc._id,
    data: { ...departmentSnapshot(doc), ...e },
  });

/** A committee as other services see it: members' names and posts, not their phones. */
function committeeSnapshot(doc: CommitteeDoc) {
  return {
    code: doc._id,
    name: doc.name,
    jurisdictionCode: doc.jurisdictionCode,
    version: doc.version,
    members: doc.members.map((m) => ({
      name: m.name,
      role: m.role,
      ...(m.title ? { title: m.title } : {}),
      ...(m.departmentCode ? { departmentCode: m.departmentCode } : {}),
    })),
    meetingEveryDays: doc.meetingEveryDays,
    reportEveryDays: doc.reportEveryDays,
    demo: doc.demo,
  };
}

/** A committee set up, or its name, members or schedule changed (`changed` names which). */
export const committeeChanged = (doc: CommitteeDoc, changed?: readonly string[]): OutboxEntry =>
  outboxEntry(committeeTopic, SOURCE, {
    ...(changed
      ? { type: 'entities.committee.updated' as const, data: { ...committeeSnapshot(doc), changed: [...changed] } }
      : { type: 'entities.committee.registered' as const, data: committeeSnapshot(doc) }),
    key: doc._id,
    subject: doc._id,
  });

export const sessionRecorded = (s: CommitteeSessionDoc): OutboxEntry =>
  outboxEntry(committeeTopic, SOURCE, {
    type: 'entities.committee.session_recorded',
    key: s.committeeCode,
    subject: s._id,
    data: {
      committeeCode: s.committeeCode,
      sessionId: s.sessionId,
      kind: s.kind,
      heldOn: s.heldOn,
      decisions: s.decisions.map(({ itemId, departmentCode, title, deadline }) => ({ itemId, departmentCode, title, deadline })),
      recordedBy: s.recordedBy,
    },
  });

const warningSnapshot = (w: FireWarningDoc) => ({
  id: w._id,
  jurisdictionCode: w.jurisdictionCode,
  kind: w.kind,
  title: w.title,
  validFrom: w.validFrom,
  validTo: w.validTo,
  acknowledgeBy: w.acknowledgeBy,
});

export const warningIssued = (w: FireWarningDoc): OutboxEntry =>
  outboxEntry(committeeTopic, SOURCE, {
    type: 'entities.warning.issued',
    key: w._id,
    subject: w._id,
    data: { ...warningSnapshot(w), gridCodes: w.grids.map((g) => g.code), issuedBy: w.issuedBy },
  });

export const warningAcknowledged = (w: FireWarningDoc, gridCode: string, by: string): OutboxEntry =>
  outboxEntry(committeeTopic, SOURCE, {
    type: 'entities.warning.acknowledged',
    key: w._id,
    subject: w._id,
    data: {
      ...warningSnapshot(w),
      gridCode,
      acknowledgedBy: by,
      pendingGrids: w.grids.filter((g) => !g.acknowledgedAt).length,
    },
  });

export const warningAcknowledgementOverdue = (w: FireWarningDoc): OutboxEntry =>
  outboxEntry(committeeTopic, SOURCE, {
    type: 'entities.warning.acknowledgement_overdue',
    key: w._id,
    subject: w._id,
    data: { ...warningSnapshot(w), pendingGridCodes: w.grids.filter((g) => !g.acknowledgedAt).map((g) => g.code) },
  });
