import { newOutbox, withOutbox, type OutboxEntry } from '@firegov/events';
import { collectionOf, isDuplicateKeyError } from '@firegov/kit';
import type { WithdrawnAssessment } from '../../events/outbound.ts';
import { toStored } from '../../store/assessment-codec.ts';
import type { AssessmentDoc, StoredAssessmentDoc } from '../../store/models.ts';
import type { AssessmentDeps } from '../deps.ts';

/**
 * Every write to the assessments collection. A change and the event announcing it go in one
 * document write (its outbox); the relay is then kicked to publish at once rather than at its
 * next sweep.
 */
export function assessmentWrites(deps: Pick<AssessmentDeps, 'models' | 'relay'>) {
  const collection = collectionOf(deps.models.assessments);
  // The relay reads any outbox collection untyped; mongoose's handle on the same collection fits it.
  const outbox = deps.models.assessments.collection;

  return {
    /** For document locks: one change at a time per assessment. */
    collectionName: collection.collectionName,

    /** Stores a new assessment with its event; false when one with its id is stored already. */
    async insert(doc: AssessmentDoc, event: OutboxEntry): Promise<boolean> {
      try {
        await collection.insertOne({ ...toStored(doc), ...newOutbox([event]) });
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
      deps.relay.kickInserted(outbox, [{ _id: doc._id, outbox: [event] }]);
      return true;
    },

    /** Writes `next` (a new version) over the stored one, if that is still at `expectedVersion`. */
    async replaceVersion(next: AssessmentDoc, expectedVersion: number, event: OutboxEntry): Promise<void> {
      const { _id, ...rest } = toStored(next);
      await collection.updateOne({ _id, version: expectedVersion }, withOutbox<StoredAssessmentDoc>({ $set: rest }, [event]));
      deps.relay.kick(outbox, [_id]);
    },

    /** Marks the assessment withdrawn; its versions stay. */
    async withdraw(doc: WithdrawnAssessment, event: OutboxEntry): Promise<void> {
      const { withdrawnReason, withdrawnAt, updatedAt } = doc;
      await collection.updateOne(
        { _id: doc._id },
        withOutbox<StoredAssessmentDoc>({ $set: { status: 'withdrawn', withdrawnReason, withdrawnAt, updatedAt } }, [event]),
      );
      deps.relay.kick(outbox, [doc._id]);
    },

    /** Records the re-inspection; never over an earlier one. */
    async setAudit(id: string, audit: NonNullable<AssessmentDoc['audit']>): Promise<void> {
      await collection.updateOne({ _id: id, audit: { $exists: false } }, { $set: { audit } });
    },
  };
}

export type AssessmentWrites = ReturnType<typeof assessmentWrites>;
