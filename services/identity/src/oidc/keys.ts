import { collectionOf, isDuplicateKeyError, newId, type Logger } from '@firegov/kit';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  dueActions,
  publishedKeys,
  rotateNowActions,
  scheduleOf,
  type KeyAction,
  type KeyPolicy,
  type KeySchedule,
  type ScheduledKey,
} from '../domain/keys.ts';
import type { IdentityModels, SigningKeyDoc } from '../store/models.ts';

// The signing keys in the store, the source of truth every replica reads: each replica applies the
// schedule's actions (the store's unique `after` lets one of them win) and reads the set back.

export const SIGNING_ALG = 'ES256';

type StoredKey = ScheduledKey & { doc: SigningKeyDoc };

const scheduled = (doc: SigningKeyDoc): StoredKey => ({ kid: doc._id, after: doc.after, activeFrom: doc.activeFrom, doc });

async function newKeyDoc(after: string, activeFrom: Date, now: Date): Promise<SigningKeyDoc> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = newId('key');
  const meta = { kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    _id: kid,
    after,
    activeFrom,
    createdAt: now,
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
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

export function keyStore(deps: { models: IdentityModels; policy: KeyPolicy; now: () => Date; logger: Logger }) {
  const keys = collectionOf(deps.models.signingKeys);

  const load = async (): Promise<StoredKey[]> => (await keys.find({}).toArray()).map(scheduled);

  async function apply(actions: readonly KeyAction[]): Promise<void> {
    for (const a of actions) {
      if (a.kind === 'create') {
        const doc = await newKeyDoc(a.after, a.activeFrom, deps.now());
        try {
          await keys.insertOne(doc);
          deps.logger.info({ kid: doc._id, activeFrom: a.activeFrom.toISOString() }, 'signing key created');
        } catch (err) {
          // Another replica created this successor first; its key is the one.
          if (!isDuplicateKeyError(err)) throw err;
        }
      } else if (a.kind === 'advance') {
        await keys.updateOne({ _id: a.kid, activeFrom: { $gt: a.activeFrom } }, { $set: { activeFrom: a.activeFrom } });
        deps.logger.info({ kid: a.kid, activeFrom: a.activeFrom.toISOString() }, 'signing key brought forward');
      } else {
        await keys.deleteOne({ _id: a.kid });
        deps.logger.info({ kid: a.kid }, 'signing key destroyed: every token it signed has expired');
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
      providerJwks: { keys: published.map((k) => k.doc.privateJwk) },
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
