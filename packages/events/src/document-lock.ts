/**
 * Serialises writes to one document within this process.
 *
 * FerretDB 1.24 (the local store) applies an update as read, modify, write without isolation:
 * concurrent updates of one document lose all but one (measured: 200 concurrent `$inc`s on one
 * document left 43, on both its SQLite and PostgreSQL backends). MongoDB makes each single-document
 * update atomic, which the outbox, `applyOnce` and optimistic versions rely on. Every write to an
 * aggregate document therefore goes through this lock, keyed by collection and id; the outbox relay
 * takes the same lock. It does not help across processes: locally, run one replica per service.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withDocumentLock<T>(collection: string, id: unknown, fn: () => Promise<T>): Promise<T> {
  const key = `${collection}\u0000${String(id)}`;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // Drop the entry once nobody queued behind us, so the map does not grow with every id ever written.
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** For tests and metrics: documents with a write queued or running. */
export const lockedDocuments = (): number => tails.size;
