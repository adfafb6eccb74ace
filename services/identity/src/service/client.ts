import { hashSecretAsync, newClientSecret, type ClientCutoffs, type CutoffReason, type Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, withOutbox, type OutboxRelay } from '@firegov/events';
import { AppError, collectionOf, fromDomain, newId, notFound, type Logger } from '@firegov/kit';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import { randomBytes } from 'node:crypto';
import { isWithinDivision } from '@firegov/contracts';
import {
  clientIdInput,
  newClient,
  registerClientInput,
  revoked,
  withRotatedSecret,
  type PlatformClient,
  type RegisterClientInput,
} from '../domain/client.ts';
import {
  registerDocumentsInput,
  removeDocumentsInput,
  trustedOnlyInput,
  withDocuments,
  withoutDocuments,
  withTrustedDocumentsOnly,
  type TrustedDocument,
} from '../domain/documents.ts';
import { clientEvent, documentsEvent } from '../events/outbound.ts';
import type { OutboxEntry } from '@firegov/events';
import type { IdentityModels } from '../store/models.ts';
import { adminGuard } from './admin.ts';

export interface ClientDeps {
  models: IdentityModels;
  relay: OutboxRelay;
  now: () => Date;
  /** Where a client's cutoff goes when its tokens must stop at once (shared with every verifier). */
  cutoffs: ClientCutoffs;
  logger: Logger;
}

/** A client and its secret, which is shown this once and stored only as a hash. */
export interface IssuedClient {
  client: PlatformClient;
  clientSecret: string;
}

// The documents are read only where they are needed: a list or a token request does not carry them.
const HIDDEN = { projection: { outbox: 0, outboxPending: 0, documents: 0 } } as const;
const WITH_DOCUMENTS = { projection: { outbox: 0, outboxPending: 0 } } as const;

/** The only writer of platform clients: each change and its event land in one write. */
export function clientService(deps: ClientDeps) {
  const clients = collectionOf(deps.models.clients);
  const secret = () => newClientSecret(randomBytes);
  const guard = adminGuard();
  const requireAdmin = (who: Identity) => guard(who, 'platform clients');

  async function mine(who: Identity, raw: unknown): Promise<PlatformClient> {
    requireAdmin(who);
    const { id } = fromDomain(() => parseInput(clientIdInput, raw));
    return inScope(who, id, HIDDEN);
  }

  // Out of scope reads as absent: an administrator learns nothing about other counties' clients.
  async function inScope(who: Identity, id: string, options: typeof HIDDEN | typeof WITH_DOCUMENTS): Promise<PlatformClient> {
    const doc = await clients.findOne({ _id: id }, options);
    if (!doc || !isWithinDivision(doc.jurisdiction, who.jurisdiction)) throw notFound('platform client');
    return doc;
  }

  /**
   * Ends the client's tokens issued until now: every verifier refuses a platform client's token
   * issued at or before its cutoff (@firegov/auth client-cutoffs.ts). `change` is written between
   * two cutoffs: the first makes the change fail when Redis does not answer (nothing changed, the
   * caller retries; a cutoff without a change only makes the client fetch a token again), the second
   * covers a token the old secret got while the write was under way. With `newTokensAfter`, it
   * returns only once the cutoff's second is over, so no token the changed client gets from now on
   * (a new secret's, a limited one's) falls into it.
   */
  async function cuttingOff<T>(id: string, reason: CutoffReason, change: () => Promise<T>, newTokensAfter: boolean): Promise<T> {
    // Epoch seconds of the real clock, as the provider's `iat` (deps.now may be a test's).
    const second = () => Math.floor(Date.now() / 1000);
    try {
      await deps.cutoffs.record(id, { at: second(), reason });
    } catch (err) {
      throw new AppError(
        'UNAVAILABLE',
        "the client's tokens could not be cut off (Redis did not answer); nothing changed, retry",
        {
          cause: err,
        },
      );
    }
    const result = await change();
    const at = second();
    try {
      await deps.cutoffs.record(id, { at, reason });
    } catch (err) {
      // The first cutoff stands; only a token got during the write itself (milliseconds) escapes it.
      deps.logger.warn({ err, clientId: id, reason }, 'the second cutoff of a client could not be written');
    }
    if (newTokensAfter) {
      const wait = (at + 1) * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return result;
  }

  /** Writes `next` if the client is still `prev`, with its events in the same write. */
  async function replace(prev: PlatformClient, next: PlatformClient, events: OutboxEntry[]) {
    const { _id: id, ...fields } = next;
    const r = await clients.updateOne({ _id: id, version: prev.version }, withOutbox({ $set: fields }, events));
    if (r.matchedCount === 0) throw new AppError('CONFLICT', 'the client changed meanwhile; read it again and retry');
    deps.relay.kick(deps.models.clients.collection, [id]);
  }

  return {
    /** `o` is for the demo loader only: the demo client's fixed id and the secret npm start prints. */
    async register(who: Identity, raw: unknown, o: { demo?: boolean; id?: string; secret?: string } = {}): Promise<IssuedClient> {
      requireAdmin(who);
      const input: RegisterClientInput = fromDomain(() => parseInput(registerClientInput, raw));
      const clientSecret = o.secret ?? secret();
      // Hashed off the event loop: a scrypt holds it tens of ms.
      const secretHash = await hashSecretAsync(clientSecret);
      const doc = fromDomain(() =>
        newClient(input, who, {
          id: o.id ?? newId('pc'),
          now: deps.now(),
          secretHash,
          demo: o.demo ?? false,
        }),
      );
      await clients.insertOne({ ...doc, ...newOutbox([clientEvent('identity.client.registered', doc)]) });
      deps.relay.kick(deps.models.clients.collection, [doc._id]);
      return { client: doc, clientSecret };
    },

    /**
     * A new secret; the old one stops working at once, and so do the tokens it got (the owner
     * deploys the new secret as soon as it has it). Answers within a second.
     */
    async rotateSecret(who: Identity, raw: unknown): Promise<IssuedClient> {
      const prev = await mine(who, raw);
      const clientSecret = secret();
      const secretHash = await hashSecretAsync(clientSecret);
      const next = fromDomain(() => withRotatedSecret(prev, { now: deps.now(), secretHash }));
      await cuttingOff(
        prev._id,
        'secret_rotated',
        () => replace(prev, next, [clientEvent('identity.client.secret_rotated', next)]),
        true,
      );
      return { client: next, clientSecret };
    },

    /**
     * Revoked at once: no new token, the provider no longer knows the client (introspection answers
     * inactive), and every verifier refuses the tokens it holds.
     */
    async revoke(who: Identity, raw: unknown): Promise<PlatformClient> {
      const prev = await mine(who, raw);
      const next = fromDomain(() => revoked(prev, { now: deps.now(), actor: who.subject }));
      await cuttingOff(prev._id, 'revoked', () => replace(prev, next, [clientEvent('identity.client.revoked', next)]), false);
      return next;
    },

    /**
     * Limits the client to its trusted documents, or lifts the limit; its tokens say so from the next
     * one issued. Limiting also ends the tokens it holds (they lack the claim), so the limit holds at
     * once; lifting it leaves them be (they are only more limited).
     */
    async setTrustedDocumentsOnly(who: Identity, raw: unknown): Promise<PlatformClient> {
      requireAdmin(who);
      const input = fromDomain(() => parseInput(trustedOnlyInput, raw));
      const prev = await inScope(who, input.id, HIDDEN);
      const next = fromDomain(() => withTrustedDocumentsOnly(prev, input.trustedDocumentsOnly));
      if (next === prev) return next;
      const write = () => replace(prev, next, [clientEvent('identity.client.trusted_documents_only_changed', next)]);
      if (next.trustedDocumentsOnly === true) await cuttingOff(prev._id, 'trusted_documents_only', write, true);
      else await write();
      return next;
    },

    /** Registers documents for the client (each parsed first); answers them in the order given, known ones included. */
    async registerDocuments(who: Identity, raw: unknown): Promise<TrustedDocument[]> {
      requireAdmin(who);
      const input = fromDomain(() => parseInput(registerDocumentsInput, raw));
      const prev = await inScope(who, input.clientId, WITH_DOCUMENTS);
      const now = deps.now();
      const {
        client: next,
        documents,
        added,
      } = fromDomain(() => withDocuments(prev, input.documents, { now, actor: who.subject }));
      if (added.length > 0) {
        await replace(prev, next, [
          documentsEvent('identity.client.documents_registered', next, { hashes: added, by: who.subject, at: now }),
        ]);
      }
      return documents;
    },

    /** Removes documents by hash; the gateway stops running them within its cache time. Answers the hashes removed. */
    async removeDocuments(who: Identity, raw: unknown): Promise<string[]> {
      requireAdmin(who);
      const input = fromDomain(() => parseInput(removeDocumentsInput, raw));
      const prev = await inScope(who, input.clientId, WITH_DOCUMENTS);
      const { client: next, removed } = fromDomain(() => withoutDocuments(prev, input.hashes));
      await replace(prev, next, [
        documentsEvent('identity.client.documents_removed', next, { hashes: removed, by: who.subject, at: deps.now() }),
      ]);
      return removed;
    },

    /** The client's trusted documents, oldest first. */
    async documents(who: Identity, clientId: string): Promise<TrustedDocument[]> {
      requireAdmin(who);
      const { id } = fromDomain(() => parseInput(clientIdInput, { id: clientId }));
      return (await inScope(who, id, WITH_DOCUMENTS)).documents ?? [];
    },

    /**
     * For the gateway, asking with the client's own token: the documents of an active client, or
     * null (no such client, or revoked: then nothing of it runs).
     */
    async ownDocuments(clientId: string): Promise<{ trustedDocumentsOnly: boolean; documents: TrustedDocument[] } | null> {
      const doc = await clients.findOne({ _id: clientId, status: 'active' }, WITH_DOCUMENTS);
      return doc ? { trustedDocumentsOnly: doc.trustedDocumentsOnly ?? false, documents: doc.documents ?? [] } : null;
    },

    byId: (who: Identity, id: string): Promise<PlatformClient> => mine(who, { id }),

    /** The administrator's clients (within their jurisdiction), oldest first, a page at a time. */
    async list(who: Identity, first?: number | null, after?: string | null): Promise<Page<PlatformClient>> {
      requireAdmin(who);
      const limit = pageSize(first);
      const filter = { scope: who.jurisdiction, ...(after ? { _id: { $gt: decodeCursor(after) } } : {}) };
      const docs = await clients
        .find(filter, HIDDEN)
        .sort({ _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, () => clients.countDocuments({ scope: who.jurisdiction }));
    },

    /** For the provider: a client by its client_id, whatever its state. */
    find: (id: string): Promise<PlatformClient | null> => clients.findOne({ _id: id }, HIDDEN),
  };
}

export type ClientService = ReturnType<typeof clientService>;
