import { trainingCertificateTopic, trainingComplianceTopic, trainingCourseTopic } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { Requirement } from '../domain/requirements.ts';
import type { UnitCoverageDoc } from '../store/people.ts';
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
