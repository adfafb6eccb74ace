import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { registryModels, type RegistryModels } from '@firegov/registry';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Course } from '../domain/course.ts';

/** A course as stored: the aggregate plus the outbox that announces its changes. */
export type CourseDoc = Course & OutboxFields;

const opts = { versionKey: false, minimize: false } as const;

const courseSchema = new Schema<CourseDoc>(
  {
    _id: String,
    version: Number,
    unitId: String,
    name: String,
    scope: [String],
    createdAt: String,
    createdBy: String,
    ...outboxSchemaFields,
  },
  opts,
);
// Lists are by jurisdiction in _id order; the relay's sweep finds unsent outboxes.
courseSchema.index({ scope: 1, _id: 1 });
courseSchema.index({ outboxPending: 1 });

export interface TrainingModels extends RegistryModels {
  courses: Model<CourseDoc>;
}

export function trainingModels(conn: Connection): TrainingModels {
  return {
    ...registryModels(conn),
    courses: conn.model<CourseDoc>('Course', courseSchema, 'courses'),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: TrainingModels): Array<Collection<Document>> {
  return [models.courses.collection];
}
