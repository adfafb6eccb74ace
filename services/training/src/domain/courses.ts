import { defineEnum, divisionScope, DomainError, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';

// 课程: a course teaches one topic in lessons, each with its materials. Pure rules, no I/O.

/** 培训主题: what a course, a question bank and an exam are about. */
export const LearningTopic = defineEnum({
  fire_law: { zh: '消防法规', en: 'Fire law and regulations' },
  initial_firefighting: { zh: '初起火灾扑救', en: 'Fighting a fire in its first minutes' },
  evacuation: { zh: '疏散逃生', en: 'Evacuation and escape' },
  electrical_fire: { zh: '电气火灾', en: 'Electrical fires' },
  fire_facilities: { zh: '消防设施', en: 'Fire protection systems and equipment' },
  safety_management: { zh: '消防安全管理', en: 'Fire safety management' },
});
export type LearningTopic = (typeof LearningTopic.values)[number];

/** Who writes learning content: the county and the townships (县、乡镇); everyone authenticated reads. */
export const CONTENT_AUTHORS: readonly string[] = ['county_admin', 'township_officer'];

const sha256Schema = z
  .string({ error: typeError('a string') })
  .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (a SHA-256)');

const materialSchema = z.strictObject(
  {
    title: textField(1, 100),
    url: z.url({ protocol: /^https?$/, error: (i) => (i.input === undefined ? 'is required' : 'must be an http(s) URL') }),
    sha256: sha256Schema.optional(),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

const lessonSchema = z.strictObject(
  {
    title: textField(1, 100),
    summary: textField(1, 1000).optional(),
    durationMinutes: z
      .number({ error: typeError('a number') })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(600, 'must be at most 600 minutes'),
    materials: z
      .array(materialSchema, { error: typeError('an array') })
      .max(20, 'must have at most 20 materials')
      .default([]),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export const courseInput = z.strictObject(
  {
    title: textField(1, 100),
    topic: LearningTopic.schema,
    summary: textField(1, 2000).optional(),
    lessons: z
      .array(lessonSchema, { error: typeError('an array') })
      .min(1, 'must have at least one lesson')
      .max(100, 'must have at most 100 lessons'),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type CourseInput = z.output<typeof courseInput>;

export const updateCourseInput = z.strictObject(
  {
    id: idSchema,
    expectedVersion: z
      .number({ error: typeError('a number') })
      .int()
      .min(1, 'must be at least 1'),
    course: courseInput,
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);

export interface Material {
  title: string;
  url: string;
  sha256?: string;
}

export interface Lesson {
  /** Position-based (`l1`, `l2` …): lessons are edited with their course. */
  id: string;
  title: string;
  summary?: string;
  durationMinutes: number;
  materials: Material[];
}

export interface Course {
  _id: string;
  version: number;
  title: string;
  topic: LearningTopic;
  summary?: string;
  lessons: Lesson[];
  durationMinutes: number;
  /** The jurisdiction that wrote it (county or township): who sees it follows from here. */
  jurisdictionCode: string;
  scope: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

function lessonsOf(input: CourseInput): Lesson[] {
  return input.lessons.map((l, i) => ({
    id: `l${i + 1}`,
    title: l.title,
    ...(l.summary !== undefined ? { summary: l.summary } : {}),
    durationMinutes: l.durationMinutes,
    materials: l.materials.map((m) => ({ title: m.title, url: m.url, ...(m.sha256 ? { sha256: m.sha256 } : {}) })),
  }));
}

const body = (input: CourseInput) => {
  const lessons = lessonsOf(input);
  return {
    title: input.title,
    topic: input.topic,
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
    lessons,
    durationMinutes: lessons.reduce((sum, l) => sum + l.durationMinutes, 0),
  };
};

export function newCourse(input: CourseInput, meta: { id: string; now: Date; actor: string; jurisdictionCode: string }): Course {
  const at = meta.now.toISOString();
  return {
    _id: meta.id,
    version: 1,
    ...body(input),
    jurisdictionCode: meta.jurisdictionCode,
    scope: divisionScope(meta.jurisdictionCode),
    createdAt: at,
    createdBy: meta.actor,
    updatedAt: at,
  };
}

/** The course rewritten from a full input; refused when someone changed it since the caller read it. */
export function revisedCourse(current: Course, input: CourseInput, expectedVersion: number, now: Date): Course {
  if (current.version !== expectedVersion) {
    throw new DomainError('INVALID_TRANSITION', 'the course changed since you read it', [
      { path: '$.expectedVersion', reason: `is ${expectedVersion}; the course is at version ${current.version}` },
    ]);
  }
  const { summary: _dropped, ...kept } = current;
  return { ...kept, ...body(input), version: current.version + 1, updatedAt: now.toISOString() };
}
