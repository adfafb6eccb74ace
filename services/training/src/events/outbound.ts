import {
  trainingCertificateTopic,
  trainingComplianceTopic,
  trainingCourseTopic,
  trainingOutreachTopic,
} from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { Requirement } from '../domain/requirements.ts';
import type { UnitCoverageDoc } from '../store/people.ts';
import type { Drill } from '../domain/drills.ts';
import type { TeamSession } from '../domain/team-training.ts';
import type { Certificate } from '../domain/certificates.ts';
import type { Course } from '../domain/courses.ts';

// Every event this service emits, built from snapshots of its documents. Services import their
// builders from here; nothing else builds events.

export const courseChanged = (doc: Course): OutboxEntry =>
  outboxEntry(trainingCourseTopic, 'training', {
    type: doc.version === 1 ? 'training.course.created' : 'training.course.updated',
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      version: doc.version,
      title: doc.title,
      topic: doc.topic,
      lessonCount: doc.lessons.length,
      durationMinutes: doc.durationMinutes,
      jurisdictionCode: doc.jurisdictionCode,
      scope: doc.scope,
      updatedAt: doc.updatedAt,
    },
  });

export const certificateIssued = (doc: Certificate): OutboxEntry =>
  outboxEntry(trainingCertificateTopic, 'training', {
    type: 'training.certificate.issued',
    key: doc.personId,
    subject: doc._id,
    data: {
      id: doc._id,
      personId: doc.personId,
      courseId: doc.courseId,
      courseTitle: doc.courseTitle,
      topic: doc.topic,
      examId: doc.examId,
      scorePercent: doc.scorePercent,
      issuedAt: doc.issuedAt,
      validUntil: doc.validUntil,
      supersedes: doc.supersedes,
      unitIds: doc.unitIds,
      roles: doc.roles,
      scope: doc.scope,
    },
  });

// ---- outreach: drills and village fire-team training ----

/** A drill with its findings, keyed by its unit (village code for a village drill): inspections turns each unit finding into a hazard. */
export const drillRecorded = (doc: Drill): OutboxEntry =>
  outboxEntry(trainingOutreachTopic, 'training', {
    type: 'training.drill.recorded',
    key: doc.unitId ?? doc.villageCode,
    subject: doc._id,
    data: {
      id: doc._id,
      ...(doc.unitId ? { unitId: doc.unitId } : {}),
      villageCode: doc.villageCode,
      scenario: doc.scenario,
      date: doc.date,
      participants: doc.participants,
      ...(doc.evacuationSeconds !== undefined ? { evacuationSeconds: doc.evacuationSeconds } : {}),
      findings: doc.findings,
      recordedBy: doc.createdBy,
    },
  });

/** A village fire team's training session, keyed by the team: entities counts its hours towards readiness. */
export const teamSessionRecorded = (doc: TeamSession): OutboxEntry =>
  outboxEntry(trainingOutreachTopic, 'training', {
    type: 'training.team_session.recorded',
    key: doc.teamId,
    subject: doc._id,
    data: {
      id: doc._id,
      teamId: doc.teamId,
      villageCode: doc.villageCode,
      date: doc.date,
      hours: doc.hours,
      participants: doc.participants,
      content: doc.content,
    },
  });

// Compliance (people area): required-training rules and unit coverage.

export const requirementChanged = (doc: Requirement): OutboxEntry =>
  outboxEntry(trainingComplianceTopic, 'training', {
    type: 'training.requirement.changed',
    key: doc._id,
    subject: doc._id,
    data: {
      id: doc._id,
      version: doc.version,
      role: doc.role,
      premises: doc.premises,
      courseIds: doc.courseIds,
      intervalMonths: doc.intervalMonths,
      confidence: doc.confidence,
      source: doc.source,
      localPolicy: doc.localPolicy,
      active: doc.active,
      changedAt: doc.changedAt,
      changedBy: doc.changedBy,
    },
  });

export const coverageChanged = (doc: Omit<UnitCoverageDoc, 'outbox' | 'outboxPending'>): OutboxEntry =>
  outboxEntry(trainingComplianceTopic, 'training', {
    type: 'training.coverage.changed',
    key: doc._id,
    subject: doc._id,
    data: {
      unitId: doc._id,
      coverage: doc.coverage,
      required: doc.required,
      covered: doc.covered,
      vacantRoles: doc.vacantRoles,
      version: doc.version,
      computedAt: doc.computedAt,
      scope: doc.scope,
    },
  });
