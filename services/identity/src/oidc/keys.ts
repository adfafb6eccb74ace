import { AppError, collectionOf, isDuplicateKeyError, newId, type Logger } from '@firegov/kit';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  dueActions,
  publishedKeys,
  revokeActions,
  rotateNowActions,
  scheduleOf,
  type KeyAction,
  type KeyPolicy,
  type KeySchedule,
  type ScheduledKey,
} from '../domain/keys.ts';
import type { IdentityModels, SigningKeyDoc } from '../store/models.ts';
import type { KeySealer } from './seal.ts';

// The signing keys in the store, the source of truth every replica reads: each replica applies the
// schedule's actions (the store's unique `after` lets one of them win) and reads the set back.

export const SIGNING_ALG = 'ES256';

type StoredKey = ScheduledKey & { doc: SigningKeyDoc };

const scheduled = (doc: SigningKeyDoc): StoredKey => ({ kid: doc._id, after: doc.after, activeFrom: doc.activeFrom, doc });

async function newKeyDoc(after: string, activeFrom: Date, now: Date, sealer: KeySealer): Promise<SigningKeyDoc> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = newId('key');
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    _id: kid,
    after,
    activeFrom,
    createdAt: now,
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    sealedPrivateJwk: sealer.seal({ ...(await exportJWK(privateKey)), ...meta }, kid),
  };
}

export interface KeySet {
  schedule: KeySchedule<StoredKey>;
  /** The kid that signs now. */
  activeKid: string;
  /** The private keys the provider holds (it publishes their public parts), signing key first. */
  providerJwks: { keys: JWK[] };
  /** Changes when the published set or its order changes: the provider is rebuilt then. */
  fingerprint: string;
  /** When the schedule next changes by itself (a key starts signing or stops being published). */
  nextChange: Date | undefined;
}

export function keyStore(deps: {
  models: IdentityModels;
  policy: KeyPolicy;
  now: () => Date;
  logger: Logger;
  sealer: KeySealer;
}) {
  const keys = collectionOf(deps.models.signingKeys);

  const load = async (): Promise<StoredKey[]> => {
    const docs = await keys.find({}).toArray();
    for (const doc of docs) {
      if (doc.sealedPrivateJwk || !doc.privateJwk) continue;
      // A key stored before sealing: seal it in place; the plain copy leaves the store.
      doc.sealedPrivateJwk = deps.sealer.seal(doc.privateJwk, doc._id);
      await keys.updateOne({ _id: doc._id }, { $set: { sealedPrivateJwk: doc.sealedPrivateJwk }, $unset: { privateJwk: '' } });
      delete doc.privateJwk;
      deps.logger.warn({ kid: doc._id }, 'signing key stored unencrypted: sealed under KEY_ENCRYPTION_KEY');
    }
    return docs.map(scheduled);
  };

  const privateJwkOf = (doc: SigningKeyDoc): JWK => {
    if (!doc.sealedPrivateJwk) throw new Error(`signing key ${doc._id} has no private part`);
    return deps.sealer.open(doc.sealedPrivateJwk, doc._id);
  };

  async function create(a: Extract<KeyAction, { kind: 'create' }>): Promise<void> {
    const doc = await newKeyDoc(a.after, a.activeFrom, deps.now(), deps.sealer);
    try {
      await keys.insertOne(doc);
      deps.logger.info({ kid: doc._id, activeFrom: a.activeFrom.toISOString() }, 'signing key created');
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Another replica created this successor first; its key is the one. A rotation on demand
      // still wants it to sign from the time it asked, so bring that key forward (if it is later).
      if (!a.advanceExisting) return;
      const moved = await keys.updateOne(
        { after: a.after, activeFrom: { $gt: a.activeFrom } },
        { $set: { activeFrom: a.activeFrom } },
      );
      if (moved.modifiedCount > 0) {
        deps.logger.info({ after: a.after, activeFrom: a.activeFrom.toISOString() }, 'signing key brought forward');
      }
    }
  }

  async function apply(actions: readonly KeyAction[]): Promise<void> {
    for (const a of actions) {
      if (a.kind === 'create') {
        await create(a);
      } else if (a.kind === 'advance') {
        await keys.updateOne({ _id: a.kid, activeFrom: { $gt: a.activeFrom } }, { $set: { activeFrom: a.activeFrom } });
        deps.logger.info({ kid: a.kid, activeFrom: a.activeFrom.toISOString() }, 'signing key brought forward');
      } else {
        await keys.deleteOne({ _id: a.kid });
        if (a.reason === 'revoked') deps.logger.warn({ kid: a.kid }, 'signing key revoked: unpublished and destroyed');
        else deps.logger.info({ kid: a.kid }, 'signing key destroyed: every token it signed has expired');
      }
    }
  }

  function keySet(stored: StoredKey[]): KeySet {
    const now = deps.now();
    const schedule = scheduleOf(stored, now, deps.policy);
    if (!schedule.active) throw new Error('no signing key is active');
    const published = publishedKeys(schedule);
    const boundaries = [
      ...schedule.upcoming.map((k) => k.activeFrom.getTime()),
      ...schedule.retired.map((k) => {
        const successor = stored.find((s) => s.after === k.kid);
        return (successor?.activeFrom.getTime() ?? now.getTime()) + deps.policy.retainAfterRetireMs;
      }),
    ].filter((t) => t > now.getTime());
    return {
      schedule,
      activeKid: schedule.active.kid,
      providerJwks: { keys: published.map((k) => privateJwkOf(k.doc)) },
      fingerprint: published.map((k) => k.kid).join(','),
      nextChange: boundaries.length ? new Date(Math.min(...boundaries)) : undefined,
    };
  }

  return {
    /** Applies what the schedule needs now (first key, a successor published ahead, expired keys destroyed) and reads the set. */
    async sync(): Promise<KeySet> {
      const before = await load();
      const actions = dueActions(before, deps.now(), deps.policy);
      if (actions.length === 0) return keySet(before);
      await apply(actions);
      return keySet(await load());
    },

    /** Rotation on demand (the county_admin mutation, the CLI). */
    async rotate(o: { immediate: boolean }): Promise<KeySet> {
      await apply(rotateNowActions(await load(), deps.now(), deps.policy, o));
      return keySet(await load());
    },

    /** Revocation of a key thought compromised: unpublished and destroyed now; a successor signs if it signed. */
    async revoke(kid: string): Promise<KeySet> {
      const actions = revokeActions(await load(), kid, deps.now(), deps.policy);
      if (!actions) {
        throw new AppError('NOT_FOUND', `no signing key ${kid} is stored`, {
          details: [{ path: '$.kid', reason: 'not a stored signing key (signingKeys lists them)' }],
        });
      }
      await apply(actions);
      return keySet(await load());
    },

    /** The published keys' public parts and dates, for the admin query: never private parts. */
    async describe(): Promise<Array<{ kid: string; state: 'active' | 'upcoming' | 'retired'; activeFrom: Date }>> {
      const s = scheduleOf(await load(), deps.now(), deps.policy);
      return [
        ...(s.active ? [{ kid: s.active.kid, state: 'active' as const, activeFrom: s.active.activeFrom }] : []),
        ...s.upcoming.map((k) => ({ kid: k.kid, state: 'upcoming' as const, activeFrom: k.activeFrom })),
        ...s.retired.map((k) => ({ kid: k.kid, state: 'retired' as const, activeFrom: k.activeFrom })),
      ];
    },
  };
}

export type KeyStore = ReturnType<typeof keyStore>;
