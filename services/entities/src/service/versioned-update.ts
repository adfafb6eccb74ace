import type { Identity } from '@firegov/auth';
import { withDocumentLock, withOutbox, type OutboxEntry } from '@firegov/events';
import { conflict, notFound } from '@firegov/kit';
import type { Model } from 'mongoose';
import { assertCanWrite, scopeFilter, type WritableKind } from './access.ts';
import type { EntitiesDeps } from './deps.ts';

/** A registry record that is updated field by field, under a version. */
interface Versioned {
  _id: string;
  /** Absent on records stored before updates existed: they are at version 1. */
  version?: number;
  updatedAt?: string;
}

/**
 * The one way households, fire teams and departments are updated: under the record's document lock, within the
 * caller's scope and write rights, at the version the caller expected (CONFLICT otherwise), and
 * with the event announcing the change in the same write. Only the changed fields are set, so
 * what other writers add beside (a team's training sessions) is kept.
 */
export async function updateUnderVersion<D extends Versioned>(
  deps: Pick<EntitiesDeps, 'relay' | 'now'>,
  o: {
    // The model's document type carries the outbox; only its collection and queries are used here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    model: Model<any>;
    kind: WritableKind;
    label: string;
    identity: Identity;
    id: string;
    expectedVersion: number | undefined;
    changes: Partial<Omit<D, '_id' | 'version' | 'updatedAt'>>;
    event: (next: D) => OutboxEntry;
    /** The jurisdiction code the write right is checked against. */
    placeOf: (record: D) => string;
    /** Refuses changes that do not fit the record as it is (throws a typed error). */
    check?: (current: D) => void;
    /** Completes the changes from the record as it is (what the caller cannot send, e.g. an item's escalation). */
    complete?: (
      current: D,
      changes: Partial<Omit<D, '_id' | 'version' | 'updatedAt'>>,
    ) => Partial<Omit<D, '_id' | 'version' | 'updatedAt'>>;
  },
): Promise<D> {
  return withDocumentLock(o.model.collection.collectionName, o.id, async () => {
    const current = await o.model
      .findOne({ _id: o.id, ...scopeFilter(o.identity) })
      .select({ outbox: 0 })
      .lean<D>();
    if (!current) throw notFound(`${o.label} ${o.id}`);
    assertCanWrite(o.identity, o.kind, o.placeOf(current));
    o.check?.(current);
    const version = current.version ?? 1;
    if (o.expectedVersion !== undefined && o.expectedVersion !== version) {
      throw conflict(`${o.label} ${o.id} is at version ${version}, not ${o.expectedVersion}`, [
        { path: '$.expectedVersion', reason: `current version is ${version}` },
      ]);
    }
    const changes = o.complete ? o.complete(current, o.changes) : o.changes;
    const fields = { ...changes, version: version + 1, updatedAt: deps.now().toISOString() };
    const next = { ...current, ...fields } as D;
    // The version in the filter makes a concurrent update by another replica fail loudly, not vanish.
    const res = await o.model.collection.updateOne(
      { _id: o.id, ...(current.version === undefined ? { version: { $exists: false } } : { version }) } as never,
      withOutbox({ $set: fields }, [o.event(next)]) as never,
    );
    if (res.matchedCount === 0) throw conflict(`${o.label} ${o.id} was changed concurrently; reload and retry`);
    deps.relay.kick(o.model.collection, [o.id]);
    return next;
  });
}
