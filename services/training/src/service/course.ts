import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, type OutboxRelay } from '@firegov/events';
import { collectionOf, forbidden, fromDomain, newId, notFound } from '@firegov/kit';
import type { RegistryLookup } from '@firegov/registry';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import { newCourse, registerCourseInput, type Course } from '../domain/course.ts';
import { courseRegistered } from '../events/outbound.ts';
import type { TrainingModels } from '../store/models.ts';

export interface CourseDeps {
  models: TrainingModels;
  registry: RegistryLookup;
  relay: OutboxRelay;
  now: () => Date;
}

/** The only writer of courses: each change and its event land in one write. */
export function courseService(deps: CourseDeps) {
  const courses = collectionOf(deps.models.courses);
  // Scoping uses the record's own scope, never an id the caller sends.
  const visible = (who: Identity, doc: Course) => doc.scope.includes(who.jurisdiction);

  return {
    async register(who: Identity, raw: unknown): Promise<Course> {
      const input = fromDomain(() => parseInput(registerCourseInput, raw));
      const unit = await deps.registry.unit(input.unitId);
      if (unit && !unit.scope.includes(who.jurisdiction)) throw forbidden('the unit is outside your jurisdiction');
      const doc = fromDomain(() => newCourse(input, unit, { id: newId('cou'), now: deps.now(), actor: who.subject }));
      await courses.insertOne({ ...doc, ...newOutbox([courseRegistered(doc)]) });
      deps.relay.kick(deps.models.courses.collection, [doc._id]);
      return doc;
    },

    async byId(who: Identity, id: string): Promise<Course> {
      const doc = await courses.findOne({ _id: id }, { projection: { outbox: 0, outboxPending: 0 } });
      // Out of scope reads as absent: a caller learns nothing about records beyond its jurisdiction.
      if (!doc || !visible(who, doc)) throw notFound('course');
      return doc;
    },

    /** The caller's courses, oldest first, a page at a time. */
    async list(who: Identity, first?: number | null, after?: string | null): Promise<Page<Course>> {
      const limit = pageSize(first);
      const filter = { scope: who.jurisdiction, ...(after ? { _id: { $gt: decodeCursor(after) } } : {}) };
      const docs = await courses
        .find(filter, { projection: { outbox: 0, outboxPending: 0 } })
        .sort({ _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, () => courses.countDocuments({ scope: who.jurisdiction }));
    },
  };
}

export type CourseService = ReturnType<typeof courseService>;
