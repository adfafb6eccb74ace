// The signing keys' schedule (签名密钥轮换), pure: which key signs, which keys the JWKS publishes,
// and what the store must do next. Each key names the key it follows (`after`), and the store keeps
// `after` unique, so replicas that decide at the same moment create one successor, not two.

export interface KeyPolicy {
  /** A new key becomes active this long after the previous one did. */
  rotationIntervalMs: number;
  /** A new key is published this long before it signs, so verifiers that cache the JWKS know it. */
  publishAheadMs: number;
  /** A retired key stays published this long (access-token lifetime + clock skew). */
  retainAfterRetireMs: number;
}

/** What the schedule needs of a stored key (the key material stays in the I/O layer). */
export interface ScheduledKey {
  kid: string;
  /** The kid of the key this one succeeds; `GENESIS` for the first. */
  after: string;
  activeFrom: Date;
}

export const GENESIS = 'genesis';

export interface KeySchedule<K extends ScheduledKey> {
  /** The key that signs now, if any. */
  active: K | undefined;
  /** Published, not yet signing. */
  upcoming: K[];
  /** No longer signing, still published for the tokens they signed. */
  retired: K[];
  /** No longer published; the store may destroy them. */
  expired: K[];
}

const byActiveFrom = <K extends ScheduledKey>(a: K, b: K) =>
  a.activeFrom.getTime() - b.activeFrom.getTime() || a.kid.localeCompare(b.kid);

export function scheduleOf<K extends ScheduledKey>(keys: readonly K[], now: Date, policy: KeyPolicy): KeySchedule<K> {
  const sorted = [...keys].sort(byActiveFrom);
  const started = sorted.filter((k) => k.activeFrom.getTime() <= now.getTime());
  const active = started.at(-1);
  const upcoming = sorted.filter((k) => k.activeFrom.getTime() > now.getTime());
  const retired: K[] = [];
  const expired: K[] = [];
  for (let i = 0; i < started.length - 1; i++) {
    const key = started[i]!;
    // Retired when the next key took over; its tokens live at most retainAfterRetireMs after that.
    const retiredAt = started[i + 1]!.activeFrom.getTime();
    (now.getTime() < retiredAt + policy.retainAfterRetireMs ? retired : expired).push(key);
  }
  return { active, upcoming, retired, expired };
}

/** The keys the JWKS publishes, the signing one first (the provider signs ID tokens with the first ES256 key). */
export function publishedKeys<K extends ScheduledKey>(s: KeySchedule<K>): K[] {
  return [...(s.active ? [s.active] : []), ...s.upcoming, ...[...s.retired].reverse()];
}

export type KeyAction =
  | { kind: 'create'; after: string; activeFrom: Date }
  | { kind: 'advance'; kid: string; activeFrom: Date }
  | { kind: 'destroy'; kid: string };

/** What the scheduled rotation needs done at `now`: the first key, a successor published ahead, expired keys destroyed. */
export function dueActions<K extends ScheduledKey>(keys: readonly K[], now: Date, policy: KeyPolicy): KeyAction[] {
  const s = scheduleOf(keys, now, policy);
  const actions: KeyAction[] = s.expired.map((k) => ({ kind: 'destroy', kid: k.kid }));
  if (!s.active) {
    // Nothing signs: the very first key (or one after a store that lost its keys) signs at once.
    if (s.upcoming.length === 0) actions.push({ kind: 'create', after: GENESIS, activeFrom: now });
    return actions;
  }
  if (s.upcoming.length === 0) {
    const due = s.active.activeFrom.getTime() + policy.rotationIntervalMs;
    if (now.getTime() >= due - policy.publishAheadMs) {
      // Never sooner than publishAheadMs from now, even when the schedule fell behind (a stopped service).
      actions.push({
        kind: 'create',
        after: s.active.kid,
        activeFrom: new Date(Math.max(due, now.getTime() + policy.publishAheadMs)),
      });
    }
  }
  return actions;
}

/**
 * Rotation on demand. By default the new key is published now and signs after publishAheadMs;
 * `immediate` (a key thought compromised) makes it sign at once: verifiers meeting an unknown kid
 * fetch the JWKS again, and the old key still stays published until its tokens expire.
 */
export function rotateNowActions<K extends ScheduledKey>(
  keys: readonly K[],
  now: Date,
  policy: KeyPolicy,
  o: { immediate: boolean },
): KeyAction[] {
  const s = scheduleOf(keys, now, policy);
  const activeFrom = new Date(o.immediate ? now.getTime() : now.getTime() + policy.publishAheadMs);
  const next = s.upcoming[0];
  if (next) {
    // A successor is already published: bring it forward rather than add another.
    return next.activeFrom.getTime() > activeFrom.getTime() ? [{ kind: 'advance', kid: next.kid, activeFrom }] : [];
  }
  return [{ kind: 'create', after: s.active?.kid ?? GENESIS, activeFrom }];
}
