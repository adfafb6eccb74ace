import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the training service.

// Learning (课程, 考试, 证书).

export const courseSnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  title: z.string().min(1),
  topic: z.string().min(1),
  lessonCount: z.number().int().min(0),
  durationMinutes: z.number().int().min(0),
  /** The county or township that wrote the course. */
  jurisdictionCode: z.string().regex(/^\d{12}$/),
  scope: z.array(z.string()),
  updatedAt: z.iso.datetime(),
});
export type CourseSnapshot = z.infer<typeof courseSnapshotSchema>;

export const trainingCourseTopic = defineTopic({
  name: 'firegov.training.courses.v1',
  owner: 'training',
  description: 'Courses (课程) of the training service, announced whole on every change.',
  keyedBy: 'course id',
  events: {
    'training.course.created': courseSnapshotSchema,
    'training.course.updated': courseSnapshotSchema,
  },
});

export const certificateIssuedSchema = z.object({
  id: z.string().min(1),
  personId: z.string().min(1),
  courseId: z.string().min(1),
  courseTitle: z.string().min(1),
  topic: z.string().min(1),
  examId: z.string().min(1),
  scorePercent: z.number().min(0).max(100),
  issuedAt: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  /** Earlier certificates of the same person and course that this one replaces (复训). */
  supersedes: z.array(z.string()),
  /** The candidate's units and roles as the proctor gave them, when known. */
  unitIds: z.array(z.string()),
  roles: z.array(z.string()),
  scope: z.array(z.string()),
});
export type CertificateIssued = z.infer<typeof certificateIssuedSchema>;

export const trainingCertificateTopic = defineTopic({
  name: 'firegov.training.certificates.v1',
  owner: 'training',
  description: 'Certificates (培训合格证书) issued on passing an exam; a later pass supersedes the earlier certificate.',
  keyedBy: 'person id',
  events: {
    'training.certificate.issued': certificateIssuedSchema,
  },
});
