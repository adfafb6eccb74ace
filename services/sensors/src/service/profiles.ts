import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { withOutbox, type OutboxRelay } from '@firegov/events';
import { collectionOf, forbidden, fromDomain } from '@firegov/kit';
import type { DeviceKind } from '../domain/kinds.ts';
import { DEFAULT_PROFILES, profileChangeInput, type Profile } from '../domain/profiles.ts';
import { profileUpdated } from '../events/outbound.ts';
import type { ProfileDoc, SensorsModels } from '../store/models.ts';

/**
 * The profile in force per kind: the county's override if it set one, the default otherwise. Held
 * for a few seconds per process, so a county's change reaches every evaluator within `ttlMs`.
 */
export function profileBook(deps: {
  models: SensorsModels;
  relay: OutboxRelay;
  now: () => Date;
  ttlMs: number;
  /** After a change of a kind's low-battery level (which devices count as low changed). */
  lowBatteryChanged?: () => Promise<unknown>;
}) {
  const cache = new Map<string, { profile: Profile; until: number }>();

  async function get(kind: DeviceKind): Promise<Profile> {
    const now = deps.now().getTime();
    const hit = cache.get(kind);
    if (hit && hit.until > now) return hit.profile;
    const stored = await deps.models.profiles.findById(kind, { outbox: 0, outboxPending: 0 }).lean<ProfileDoc>();
    const profile = stored ? toProfile(stored) : DEFAULT_PROFILES[kind];
    cache.set(kind, { profile, until: now + deps.ttlMs });
    return profile;
  }

  return {
    get,

    async all(): Promise<Profile[]> {
      return Promise.all((Object.keys(DEFAULT_PROFILES) as DeviceKind[]).map(get));
    },

    /** A county administrator changes a kind's rules or clocks; the change is an event. */
    async update(who: Identity, raw: unknown): Promise<Profile> {
      if (who.role !== 'county_admin') throw forbidden('only a county administrator changes device profiles');
      const input = fromDomain(() => parseInput(profileChangeInput, raw));
      const current = await get(input.kind);
      const at = deps.now().toISOString();
      const next: Profile = { ...input, version: current.version + 1 };
      await collectionOf(deps.models.profiles).updateOne(
        { _id: next.kind },
        withOutbox<ProfileDoc>({ $set: { ...next, updatedBy: who.subject, updatedAt: at } }, [
          profileUpdated(next, who.subject, at),
        ]),
        { upsert: true },
      );
      deps.relay.kick(deps.models.profiles.collection, [next.kind]);
      cache.delete(next.kind);
      if (next.lowBatteryPercent !== current.lowBatteryPercent) await deps.lowBatteryChanged?.();
      return next;
    },
  };
}

function toProfile(doc: ProfileDoc): Profile {
  const { _id: _ignored, updatedBy: _by, updatedAt: _at, outbox: _o, outboxPending: _p, ...profile } = doc;
  return profile;
}

export type ProfileBook = ReturnType<typeof profileBook>;
