import { collectionOf, conflict, isDuplicateKeyError, type AppError } from '@firegov/kit';
import type { Document, OptionalUnlessRequiredId } from 'mongodb';
import type { Model } from 'mongoose';

/** The refusal for a record whose code is taken: CONFLICT naming the code field. */
export const alreadyRegistered = (what: string): AppError =>
  conflict(`${what} is already registered`, [{ path: '$.code', reason: 'already registered' }]);

/** Inserts a new registry record as is; a duplicate id is `duplicate()` when given. */
export async function insertRecord<D extends Document>(
  model: Model<D>,
  doc: OptionalUnlessRequiredId<D>,
  duplicate?: () => AppError,
): Promise<void> {
  try {
    await collectionOf(model).insertOne(doc);
  } catch (err) {
    if (duplicate && isDuplicateKeyError(err)) throw duplicate();
    throw err;
  }
}
