import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import mongoose, { type Connection, type Model } from 'mongoose';
import type { Logger } from 'pino';
import type { ReadinessCheck } from './health.ts';
import { traceMongoCommands } from './store-tracing.ts';

/**
 * A dedicated mongoose connection (not the global one), so a process or a test can hold several.
 * Code stays inside what both MongoDB and FerretDB 1.24 support: no transactions, no change
 * streams, no $lookup/$facet, no TTL or partial indexes (see ARCHITECTURE.md, Storage).
 */
export async function connectMongo(url: string, dbName: string, logger?: Logger): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    // Indexes are created explicitly at start-up (syncIndexes), not lazily per model.
    autoIndex: false,
    autoCreate: false,
    // Command events become spans of the request or event being handled (store-tracing.ts).
    monitorCommands: true,
  });
  traceMongoCommands(conn);
  conn.on('disconnected', () => logger?.warn({ dbName }, 'mongo disconnected'));
  conn.on('reconnected', () => logger?.info({ dbName }, 'mongo reconnected'));
  await conn.asPromise();
  return conn;
}

export function mongoReadiness(conn: Connection): ReadinessCheck {
  return {
    name: 'store',
    async check() {
      const db = conn.db;
      if (!db) throw new Error('not connected');
      await db.admin().command({ ping: 1 });
    },
  };
}

/** Creates each model's collection and indexes at start-up (autoIndex is off so this happens once, visibly). */
export async function ensureModelIndexes(models: object): Promise<void> {
  for (const model of Object.values(models) as Array<mongoose.Model<unknown>>) {
    await model.createCollection().catch(() => undefined);
    await model.createIndexes();
  }
}

/**
 * The driver collection behind a model, typed by the model's document. Services write through the
 * driver where mongoose would cast or validate in the way (outbox entries, conditional updates);
 * typed by the document, filters and updates on `_id` strings need no casts.
 */
export function collectionOf<D extends Document>(model: Model<D>): Collection<D> {
  // mongoose types it as Collection<mongodb.Document>; the model's documents are D.
  return model.collection as unknown as Collection<D>;
}

/**
 * The local store (FerretDB 1.x) never answers an update command of 100 or more statements and then
 * blocks the whole database; 99 work. Bulk writes go in chunks below that, in order. MongoDB takes
 * them the same way (it splits large batches itself).
 */
export const BULK_CHUNK = 90;

export async function bulkWriteInChunks<D extends Document>(
  coll: Collection<D>,
  ops: ReadonlyArray<AnyBulkWriteOperation<D>>,
  opts: { ordered: boolean },
): Promise<void> {
  for (let i = 0; i < ops.length; i += BULK_CHUNK) await coll.bulkWrite(ops.slice(i, i + BULK_CHUNK), opts);
}
