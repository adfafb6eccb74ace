import { collectionOf, conflict, isDuplicateKeyError, validationFailed, type AppError } from '@firegov/kit';
import type { Document, OptionalUnlessRequiredId } from 'mongodb';
import type { Model } from 'mongoose';
import type { JurisdictionDoc, StoredJurisdiction } from '../store/models.ts';

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

/** The registered jurisdiction a new record is placed at; VALIDATION_FAILED naming `$.jurisdictionCode` otherwise. */
export async function registeredJurisdiction(jurisdictions: Model<StoredJurisdiction>, code: string): Promise<JurisdictionDoc> {
  const place = await jurisdictions.findById(code).lean<JurisdictionDoc>();
  if (!place) throw validationFailed([{ path: '$.jurisdictionCode', reason: `jurisdiction ${code} is not registered` }]);
  return place;
}
