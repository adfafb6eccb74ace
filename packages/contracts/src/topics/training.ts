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

// Outreach (drills and village fire-team training): what other services act on. A drill's findings
// become hazards in inspections; a team's training hours feed the readiness entities computes.

const isoDate = z.iso.date();

export const drillFindingSchema = z.object({
  id: z.string().min(1),
  description: z.string().min(1),
  severity: z.enum(['general', 'major']),
  location: z.string().optional(),
});

export const drillRecordedSchema = z.object({
  id: z.string().min(1),
  /** Absent for a village drill: only a unit's findings can become hazards. */
  unitId: z.string().min(1).optional(),
  villageCode: z.string().regex(/^\d{12}$/),
  scenario: z.string().min(1),
  date: isoDate,
  participants: z.number().int().min(0),
  evacuationSeconds: z.number().int().min(0).optional(),
  findings: z.array(drillFindingSchema),
  recordedBy: z.string().min(1),
});
export type DrillRecorded = z.infer<typeof drillRecordedSchema>;

export const teamSessionRecordedSchema = z.object({
  id: z.string().min(1),
  teamId: z.string().min(1),
  villageCode: z.string().regex(/^\d{12}$/),
  date: isoDate,
  hours: z.number().positive(),
  participants: z.number().int().min(0),
  content: z.string().min(1),
});
export type TeamSessionRecorded = z.infer<typeof teamSessionRecordedSchema>;

export const trainingOutreachTopic = defineTopic({
  name: 'firegov.training.outreach.v1',
  owner: 'training',
  description:
    'Drills (演练) with their findings (each finding of a unit drill becomes a hazard in inspections) and village fire-team training sessions (their hours feed village readiness in entities).',
  keyedBy: 'unit id (drills; village code for a village drill) or fire team id (sessions)',
  events: {
    'training.drill.recorded': drillRecordedSchema,
    'training.team_session.recorded': teamSessionRecordedSchema,
  },
});

// Compliance (people, required training, coverage) of the training service.

export const trainingCoverageSchema = z.object({
  unitId: z.string().min(1),
  /** Share (0..1) of the unit's required person-role assignments with valid training; null when none is required. */
  coverage: z.number().min(0).max(1).nullable(),
  required: z.number().int().min(0),
  covered: z.number().int().min(0),
  /** Required roles (key units: 责任人, 管理人) nobody is registered for; counted as not covered. */
  vacantRoles: z.array(z.string()),
  version: z.number().int().min(1),
  computedAt: z.iso.datetime(),
  scope: z.array(z.string()),
});
export type TrainingCoverageData = z.infer<typeof trainingCoverageSchema>;

export const trainingRequirementSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  role: z.string().min(1),
  premises: z.enum(['any', 'key_unit', 'public_gathering', 'large_commercial_complex']),
  courseIds: z.array(z.string().min(1)),
  intervalMonths: z.number().int().min(1).nullable(),
  confidence: z.enum(['C', 'C2', 'L', 'U']),
  source: z.string(),
  localPolicy: z.boolean(),
  active: z.boolean(),
  changedAt: z.iso.datetime(),
  changedBy: z.string(),
});
export type TrainingRequirementData = z.infer<typeof trainingRequirementSchema>;

export const trainingComplianceTopic = defineTopic({
  name: 'firegov.training.compliance.v1',
  owner: 'training',
  description:
    'Required-training rules as a county sets them, and the training coverage of each unit (share of its required person-role assignments with valid training) whenever it changes.',
  keyedBy: 'unit id (coverage) or requirement id (rules)',
  events: {
    'training.coverage.changed': trainingCoverageSchema,
    'training.requirement.changed': trainingRequirementSchema,
  },
});
