import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the training service.

export const courseSnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  unitId: z.string().min(1),
  name: z.string().min(1),
  scope: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
export type CourseSnapshot = z.infer<typeof courseSnapshotSchema>;

export const trainingCourseTopic = defineTopic({
  name: 'firegov.training.courses.v1',
  owner: 'training',
  description: 'Courses of the training service, announced whole on every change.',
  keyedBy: 'unit id',
  events: {
    'training.course.registered': courseSnapshotSchema,
  },
});
