import { trainingCertificateTopic, trainingCourseTopic } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
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
