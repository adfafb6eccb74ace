import { registryModels, type RegistryModels } from '@firegov/registry';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { learningModels, learningOutboxCollections, type LearningModels } from './learning.ts';
import { outreachModels, outreachOutboxCollections, type OutreachModels } from './outreach.ts';
import { peopleModels, peopleOutboxCollections, type PeopleModels } from './people.ts';

// Every model of the service: each area declares its own in store/<area>.ts and is spread here.

export interface TrainingModels extends RegistryModels, LearningModels, OutreachModels, PeopleModels {}

export function trainingModels(conn: Connection): TrainingModels {
  return {
    ...registryModels(conn),
    ...learningModels(conn),
    ...outreachModels(conn),
    ...peopleModels(conn),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: TrainingModels): Array<Collection<Document>> {
  return [...learningOutboxCollections(models), ...outreachOutboxCollections(models), ...peopleOutboxCollections(models)];
}
