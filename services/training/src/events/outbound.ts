import { trainingCourseTopic } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { Course } from '../domain/course.ts';

// Every event this service emits, built from snapshots of its documents. Services import their
// builders from here; nothing else builds events.

export const courseRegistered = (doc: Course): OutboxEntry =>
  outboxEntry(trainingCourseTopic, 'training', {
    type: 'training.course.registered',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      version: doc.version,
      unitId: doc.unitId,
      name: doc.name,
      scope: doc.scope,
      createdAt: doc.createdAt,
    },
  });
