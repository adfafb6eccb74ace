import type { Identity } from '@firegov/auth';
import { idSchema, parseInput } from '@firegov/contracts';
import { newOutbox, withOutbox } from '@firegov/events';
import { collectionOf, conflict, fromDomain, newId, notFound } from '@firegov/kit';
import type { Page } from '@firegov/service';
import { courseInput, newCourse, revisedCourse, updateCourseInput, type Course, type LearningTopic } from '../domain/courses.ts';
import { contentVisible } from '../domain/jurisdiction.ts';
import { courseChanged } from '../events/outbound.ts';
import { assertAuthor, contentFilter, NO_OUTBOX, pageIn, type LearningDeps } from './learning-access.ts';

/** The only writer of courses (课程): each change and its event land in one write. */
export function courseService(deps: LearningDeps) {
  const courses = collectionOf(deps.models.courses);

  /** Out of scope reads as absent: a caller learns nothing about content it may not see. */
  async function visibleCourse(who: Identity, id: string): Promise<Course> {
    const doc = await courses.findOne({ _id: id }, { projection: NO_OUTBOX });
    if (!doc || !contentVisible(who.jurisdiction, doc)) throw notFound('course');
    return doc;
  }

  return {
    byId: visibleCourse,

    async create(who: Identity, raw: unknown): Promise<Course> {
      assertAuthor(who, 'courses');
      const input = fromDomain(() => parseInput(courseInput, raw));
      const doc = newCourse(input, { id: newId('cou'), now: deps.now(), actor: who.subject, jurisdictionCode: who.jurisdiction });
      await courses.insertOne({ ...doc, ...newOutbox([courseChanged(doc)]) });
      deps.relay.kick(deps.models.courses.collection, [doc._id]);
      return doc;
    },

    /**
     * A course under a fixed id (the platform's standard course codes that training requirements
     * name, e.g. `course_safety_manager`), written once: an existing course of that id is returned as it is.
     */
    async ensure(who: Identity, id: string, raw: unknown): Promise<Course> {
      assertAuthor(who, 'courses');
      const courseId = fromDomain(() => parseInput(idSchema, id));
      const input = fromDomain(() => parseInput(courseInput, raw));
      const doc = newCourse(input, { id: courseId, now: deps.now(), actor: who.subject, jurisdictionCode: who.jurisdiction });
      const res = await courses.updateOne(
        { _id: courseId },
        { $setOnInsert: { ...doc, ...newOutbox([courseChanged(doc)]) } },
        { upsert: true },
      );
      if (res.upsertedCount === 0) return visibleCourse(who, courseId);
      deps.relay.kick(deps.models.courses.collection, [courseId]);
      return doc;
    },

    /** Rewrites a course the caller's jurisdiction wrote (a county course is the county's to change). */
    async update(who: Identity, raw: unknown): Promise<Course> {
      assertAuthor(who, 'courses');
      const { id, expectedVersion, course } = fromDomain(() => parseInput(updateCourseInput, raw));
      const current = await visibleCourse(who, id);
      if (!current.scope.includes(who.jurisdiction)) throw notFound('course');
      const next = fromDomain(() => revisedCourse(current, course, expectedVersion, deps.now()));
      const { _id, ...fields } = next;
      const res = await courses.updateOne(
        { _id, version: current.version },
        withOutbox({ $set: fields, ...(next.summary === undefined ? { $unset: { summary: '' } } : {}) }, [courseChanged(next)]),
      );
      if (res.matchedCount === 0) {
        throw conflict('the course changed meanwhile', [
          { path: '$.expectedVersion', reason: 'is stale; read the course again' },
        ]);
      }
      deps.relay.kick(deps.models.courses.collection, [_id]);
      return next;
    },

    list(who: Identity, topic: LearningTopic | undefined, first?: number | null, after?: string | null): Promise<Page<Course>> {
      const filter = topic ? { $and: [contentFilter(who), { topic }] } : contentFilter(who);
      return pageIn(courses, filter, first, after, NO_OUTBOX);
    },
  };
}

export type CourseService = ReturnType<typeof courseService>;
