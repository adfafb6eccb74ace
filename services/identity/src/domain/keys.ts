// The signing keys' schedule (签名密钥轮换), pure: which key signs, which keys the JWKS publishes,
// and what the store must do next. Each key names the key it follows (`after`), and the store keeps
// `after` unique, so replicas that decide at the same moment create one successor, not two.

export interface KeyPolicy {
  /** A new key becomes active this long after the previous one did. */
  rotationIntervalMs: number;
  /** A new key is published this long before it signs, so verifiers that cache the JWKS know it. */
  publishAheadMs: number;
  /** A retired key stays published this long (access-token lifetime + clock skew + replica sync). */
  retainAfterRetireMs: number;
  /**
   * How soon a key made by an `immediate` rotation signs: every replica has read it from the store
   * (KEY_SYNC_MS) and a verifier that fetched the JWKS just before may fetch it again (its cooldown),
   * so no verifier meets a kid it cannot know yet.
   */
  immediateAfterMs: number;
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
  /**
   * `advanceExisting`: when another replica created this successor first, bring its start forward
   * to `activeFrom` (a rotation on demand must not silently do nothing).
   */
  | { kind: 'create'; after: string; activeFrom: Date; advanceExisting?: true }
  | { kind: 'advance'; kid: string; activeFrom: Date }
  | { kind: 'destroy'; kid: string; reason: 'expired' | 'revoked' };

/** What the scheduled rotation needs done at `now`: the first key, a successor published ahead, expired keys destroyed. */
export function dueActions<K extends ScheduledKey>(keys: readonly K[], now: Date, policy: KeyPolicy): KeyAction[] {
  const s = scheduleOf(keys, now, policy);
  const actions: KeyAction[] = s.expired.map((k) => ({ kind: 'destroy', kid: k.kid, reason: 'expired' }));
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
 * `immediate` makes it sign after immediateAfterMs (the replicas' sync and the verifiers' refetch
 * cooldown), the soonest a new key can sign without tokens being refused. The old key stays
 * published until its tokens expire: a key thought compromised is revoked (revokeActions), not rotated.
 */
export function rotateNowActions<K extends ScheduledKey>(
  keys: readonly K[],
  now: Date,
  policy: KeyPolicy,
  o: { immediate: boolean },
): KeyAction[] {
  const s = scheduleOf(keys, now, policy);
  const activeFrom = new Date(now.getTime() + (o.immediate ? policy.immediateAfterMs : policy.publishAheadMs));
  const next = s.upcoming[0];
  if (next) {
    // A successor is already published: bring it forward rather than add another.
    return next.activeFrom.getTime() > activeFrom.getTime() ? [{ kind: 'advance', kid: next.kid, activeFrom }] : [];
  }
  return [{ kind: 'create', after: s.active?.kid ?? GENESIS, activeFrom, advanceExisting: true }];
}

/**
 * Revocation of a key (thought compromised): it stops being published and is destroyed at once. If
 * it was the signing key, a successor signs at once — the published upcoming key if there is one
 * (verifiers may already hold it), else a new one. Undefined when no such key is stored.
 */
export function revokeActions<K extends ScheduledKey>(
  keys: readonly K[],
  kid: string,
  now: Date,
  policy: KeyPolicy,
): KeyAction[] | undefined {
  if (!keys.some((k) => k.kid === kid)) return undefined;
  const s = scheduleOf(keys, now, policy);
  const actions: KeyAction[] = [];
  if (s.active?.kid === kid) {
    const next = s.upcoming[0];
    // The successor first, so the store never holds a set without a signing key.
    actions.push(
      next
        ? { kind: 'advance', kid: next.kid, activeFrom: now }
        : { kind: 'create', after: kid, activeFrom: now, advanceExisting: true },
    );
  }
  actions.push({ kind: 'destroy', kid, reason: 'revoked' });
  return actions;
}
