import { Schema } from 'mongoose';
import type { EventTypeOf, TopicDef } from '@firegov/contracts';
import type { Logger } from '@firegov/kit';
import type { Collection, Document, Filter, UpdateFilter, WithId } from 'mongodb';
import { withDocumentLock } from './document-lock.ts';
import { eventMetrics } from './metrics.ts';
import { buildEnvelope, type PublishInput, type Publisher, type StoredEvent } from './publisher.ts';

/**
 * Transactional outbox kept inside the aggregate's own document. The local store (FerretDB) has no
 * multi-document transactions, so a state change and the events announcing it are written in ONE
 * document update; a relay then publishes them and removes them (at least once: a crash between
 * publish and removal republishes, and consumers de-duplicate by event id).
 *
 * Data is stored as a JSON string: event payloads may carry keys with `.` or `$`, which documents may not.
 */
export interface OutboxEntry {
  id: string;
  topic: string;
  type: string;
  key: string;
  source: string;
  time: string;
  subject?: string;
  traceparent?: string;
  tracestate?: string;
  data: string;
}

export interface OutboxFields {
  outbox: OutboxEntry[];
  /** True while `outbox` is non-empty: what the relay's sweep looks for (indexed). */
  outboxPending: boolean;
}

/** Validates each event against its topic now, so an invalid event fails the write, not the relay. */
export function outboxEntry<T extends TopicDef, K extends EventTypeOf<T>>(
  topic: T,
  source: string,
  input: PublishInput<T, K>,
): OutboxEntry {
  const env = buildEnvelope(topic, source, input);
  return {
    id: env.id,
    topic: topic.name,
    type: env.type,
    key: input.key,
    source: env.source,
    time: env.time,
    ...(env.subject !== undefined ? { subject: env.subject } : {}),
    ...(env.traceparent !== undefined ? { traceparent: env.traceparent } : {}),
    ...(env.tracestate !== undefined ? { tracestate: env.tracestate } : {}),
    data: JSON.stringify(env.data),
  };
}

/** Merges an outbox append into a document update, so both land in the same atomic write. */
export function withOutbox<D extends Document>(update: UpdateFilter<D>, entries: readonly OutboxEntry[]): UpdateFilter<D> {
  if (entries.length === 0) return update;
  const u = update as Record<string, Record<string, unknown> | undefined>;
  return {
    ...update,
    $push: { ...(u.$push ?? {}), outbox: { $each: [...entries] } },
    $set: { ...(u.$set ?? {}), outboxPending: true },
  } as unknown as UpdateFilter<D>;
}

/** Outbox fields for a document being inserted. */
export function newOutbox(entries: readonly OutboxEntry[]): OutboxFields {
  return { outbox: [...entries], outboxPending: entries.length > 0 };
}

export function toStoredEvent(entry: OutboxEntry): StoredEvent {
  return {
    topic: entry.topic,
    key: entry.key,
    envelope: {
      id: entry.id,
      type: entry.type,
      source: entry.source,
      time: entry.time,
      subject: entry.subject,
      traceparent: entry.traceparent,
      tracestate: entry.tracestate,
      data: JSON.parse(entry.data) as unknown,
    },
  };
}

export interface OutboxRelayOptions {
  collections: ReadonlyArray<Collection<Document>>;
  publisher: Publisher;
  logger: Logger;
  /** Safety-net sweep for documents whose kick was lost (crash, restart). */
  sweepIntervalMs?: number;
  batchSize?: number;
}

export interface OutboxRelay {
  /** Publishes the outbox of these documents now (call after a write); errors are left to the sweep. */
  kick<D extends Document>(collection: Collection<D>, ids: readonly unknown[]): void;
  /**
   * Publishes the outbox of documents this process has just inserted, from the entries in hand:
   * the same as `kick` without reading each document back (one store read fewer per write, which is
   * what bounds a push API on the local store). Entries appended meanwhile wait for a kick or the sweep.
   */
  kickInserted<D extends Document>(
    collection: Collection<D>,
    docs: ReadonlyArray<{ _id: unknown; outbox: readonly OutboxEntry[] }>,
  ): void;
  /** Publishes everything pending in all collections; resolves with the number of events sent. */
  flush(): Promise<number>;
  /** Waits for kicks in flight, runs a last flush, stops the timer. */
  stop(): Promise<void>;
}

const REFUSED_FOR_GOOD = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE']);

/** Broker refusals that no retry will change, wherever kafkajs nested them. */
function refusedForGood(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && REFUSED_FOR_GOOD.has(e.type)) return true;
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return nested.some((n) => refusedForGood(n, depth + 1));
}

// Aggregate ids are the services' own (strings), not ObjectIds; the driver's Filter type assumes the latter.
const byId = (id: unknown): Filter<Document> => ({ _id: id }) as Filter<Document>;

export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const batchSize = opts.batchSize ?? 100;
  const log = opts.logger.child({ component: 'outbox-relay' });
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  // One Kafka batch for all the documents in hand; entries of one document share a key, so they
  // land on one partition in the order they were written.
  const relayDocs = async (col: Collection<Document>, docs: Document[]): Promise<number> => {
    const pending = docs
      .filter((d) => d.outboxPending === true)
      .map((d) => ({ id: d._id as unknown, entries: (d.outbox as OutboxEntry[] | undefined) ?? [] }));
    const events = pending.flatMap((d) => d.entries.map(toStoredEvent));
    if (events.length === 0) return 0;
    try {
      await opts.publisher.sendStored(events);
      eventMetrics().published.add(events.length, { collection: col.collectionName });
    } catch (err) {
      if (pending.length > 1) {
        // One document's events must not hold back the others': send them a document at a time.
        let sent = 0;
        for (const d of pending) {
          sent += await relayDocs(col, [{ _id: d.id, outbox: d.entries, outboxPending: true }]).catch((e: unknown) => {
            log.warn({ err: e, id: d.id }, 'outbox publish failed; the sweep will retry');
            return 0;
          });
        }
        return sent;
      }
      if (!refusedForGood(err)) throw err;
      // The broker will never take these (too large): retrying forever would republish them every
      // sweep. They move to `outboxDead` on the document, for an operator to look at.
      const [d] = pending as [(typeof pending)[number]];
      await markDead(col, d.id, d.entries, (err as Error).message);
      log.error(
        { err, collection: col.collectionName, id: d.id, events: d.entries.length },
        'outbox events refused by the broker; moved to outboxDead',
      );
      return 0;
    }
    await Promise.all(pending.map((d) => markSent(col, d.id, d.entries)));
    return events.length;
  };

  const markDead = (col: Collection<Document>, id: unknown, entries: OutboxEntry[], reason: string): Promise<void> =>
    withDocumentLock(col.collectionName, id, async () => {
      const dead = entries.map((e) => ({ ...e, deadReason: reason, deadAt: new Date().toISOString() }));
      await col.updateOne(byId(id), {
        $pullAll: { outbox: entries },
        $push: { outboxDead: { $each: dead } },
      } as unknown as UpdateFilter<Document>);
      await col.updateOne({ ...byId(id), outbox: { $size: 0 } }, { $set: { outboxPending: false } });
    });

  const markSent = (col: Collection<Document>, id: unknown, entries: OutboxEntry[]): Promise<void> =>
    withDocumentLock(col.collectionName, id, async () => {
      const pull = { $pullAll: { outbox: entries } } as unknown as UpdateFilter<Document>;
      // Usual case, one write: the outbox still holds exactly what was sent (writers only append).
      // Both the size and the ids must match: a concurrent relay may already have removed these
      // entries and a writer appended as many new ones, and clearing the flag then loses them.
      const ids = entries.map((e) => e.id);
      // One equality per id rather than `$all`: FerretDB 1.24 matches `{'outbox.id': {$all: [a, b]}}`
      // against nothing, which sent every relay down the three-write path below.
      const res = await col.updateOne(
        { ...byId(id), outbox: { $size: entries.length }, ...(ids.length ? { $and: ids.map((e) => ({ 'outbox.id': e })) } : {}) },
        { ...pull, $set: { outboxPending: false } },
      );
      if (res.matchedCount > 0) return;
      // Something was appended meanwhile: remove exactly the entries sent ($pullAll matches whole
      // values), and clear the flag only if nothing is left; a writer sets it again with its push.
      await col.updateOne(byId(id), pull);
      await col.updateOne({ ...byId(id), outbox: { $size: 0 } }, { $set: { outboxPending: false } });
    });

  // Kicks arriving in the same turn of the event loop are relayed together.
  const queued = new Map<Collection<Document>, Set<unknown>>();
  let scheduled = false;
  const drainQueue = () => {
    scheduled = false;
    for (const [col, idSet] of queued) {
      queued.delete(col);
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += batchSize) {
        const chunk = ids.slice(i, i + batchSize);
        // Equality on _id is what every store serves from its primary index.
        track(
          Promise.all(chunk.map((id) => col.findOne(byId(id), { projection: { outbox: 1, outboxPending: 1 } }))).then((docs) =>
            relayDocs(
              col,
              docs.filter((d): d is WithId<Document> => d !== null),
            ),
          ),
        ).catch((err: unknown) => log.warn({ err }, 'outbox kick failed; the sweep will publish'));
      }
    }
  };

  const queuedDocs = new Map<Collection<Document>, Document[]>();
  let scheduledDocs = false;
  const drainDocs = () => {
    scheduledDocs = false;
    for (const [col, docs] of queuedDocs) {
      queuedDocs.delete(col);
      for (let i = 0; i < docs.length; i += batchSize) {
        track(relayDocs(col, docs.slice(i, i + batchSize))).catch((err: unknown) =>
          log.warn({ err }, 'outbox kick failed; the sweep will publish'),
        );
      }
    }
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  /**
   * What a sweep finds is what kicks did not publish: normally nothing. Documents still pending and
   * the age of their oldest event say the relay (or Kafka) is behind.
   */
  const recordBacklog = (collection: string, docs: readonly Document[]) => {
    const times = docs.flatMap((d) => ((d.outbox as OutboxEntry[] | undefined) ?? []).map((e) => Date.parse(e.time)));
    const oldest = times.length > 0 ? Math.min(...times) : Date.now();
    eventMetrics().outboxPending.set({ collection }, docs.length);
    eventMetrics().outboxAge.set({ collection }, Math.max(0, (Date.now() - oldest) / 1000));
  };

  const flushCollection = async (col: Collection<Document>): Promise<number> => {
    let total = 0;
    // Entry ids relayed in this flush: a document pending again with only new entries (a writer
    // appended meanwhile) is relayed again; one still holding an entry we sent is stuck.
    const sent = new Set<string>();
    // Bounded, so a document written faster than we relay cannot keep one flush going forever.
    for (let round = 0; round < 1000; round += 1) {
      const docs = await col
        .find({ outboxPending: true }, { projection: { outbox: 1, outboxPending: 1 } })
        .limit(batchSize)
        .toArray();
      if (round === 0) recordBacklog(col.collectionName, docs);
      const entryIds = (d: Document) => ((d.outbox as OutboxEntry[] | undefined) ?? []).map((e) => e.id);
      const stuck = docs.filter((d) => entryIds(d).some((id) => sent.has(id)));
      if (stuck.length > 0) {
        log.error({ collection: col.collectionName, stuck: stuck.length }, 'outbox entries were relayed but not removed');
      }
      const fresh = docs.filter((d) => !stuck.includes(d));
      if (fresh.length === 0) return total;
      for (const d of fresh) for (const id of entryIds(d)) sent.add(id);
      total += await relayDocs(col, fresh);
      if (docs.length < batchSize) return total;
    }
    return total;
  };

  const flush = async (): Promise<number> => {
    let total = 0;
    for (const col of opts.collections) total += await track(flushCollection(col));
    return total;
  };

  const sweepMs = opts.sweepIntervalMs ?? 5000;
  const timer = setInterval(() => {
    flush().catch((err: unknown) => log.warn({ err }, 'outbox sweep failed; will retry'));
  }, sweepMs);
  timer.unref();

  // The relay only reads and clears the outbox fields, which every document kind has alike: one
  // queue per collection, whatever its document type.
  const untyped = <D extends Document>(col: Collection<D>) => col as unknown as Collection<Document>;

  return {
    kickInserted(typed, docs) {
      const col = untyped(typed);
      if (stopped || docs.length === 0) return;
      const list = queuedDocs.get(col) ?? [];
      for (const d of docs) list.push({ _id: d._id, outbox: [...d.outbox], outboxPending: true });
      queuedDocs.set(col, list);
      if (!scheduledDocs) {
        scheduledDocs = true;
        setImmediate(drainDocs);
      }
    },
    kick(typed, ids) {
      const col = untyped(typed);
      if (stopped || ids.length === 0) return;
      const set = queued.get(col) ?? new Set<unknown>();
      for (const id of ids) set.add(id);
      queued.set(col, set);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drainQueue);
      }
    },
    flush,
    async stop() {
      stopped = true;
      clearInterval(timer);
      drainQueue();
      drainDocs();
      await Promise.allSettled([...inFlight]);
      await flush().catch((err: unknown) => log.warn({ err }, 'final outbox flush failed; events stay stored'));
    },
  };
}

/** The outbox fields of a mongoose schema: add them to every aggregate whose changes are announced. */
const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: String,
    topic: String,
    type: String,
    key: String,
    source: String,
    time: String,
    subject: String,
    traceparent: String,
    tracestate: String,
    data: String,
  },
  { _id: false, versionKey: false },
);

export const outboxSchemaFields = {
  outbox: { type: [outboxEntrySchema], default: [] },
  outboxPending: { type: Boolean, default: false },
};
