import {
  dueActions,
  GENESIS,
  publishedKeys,
  revokeActions,
  rotateNowActions,
  scheduleOf,
  type KeyPolicy,
  type ScheduledKey,
} from '../../src/domain/keys.ts';

const H = 3_600_000;
const policy: KeyPolicy = {
  rotationIntervalMs: 24 * H,
  publishAheadMs: H,
  retainAfterRetireMs: 11 * 60_000,
  immediateAfterMs: 45_000,
};
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const key = (kid: string, after: string, activeFromMs: number): ScheduledKey => ({ kid, after, activeFrom: at(activeFromMs) });

test('the first key signs at once', () => {
  expect(dueActions([], t0, policy)).toEqual([{ kind: 'create', after: GENESIS, activeFrom: t0 }]);
});

test('a successor is published KEY_PUBLISH_AHEAD before it signs, not sooner', () => {
  const k1 = key('k1', GENESIS, 0);
  expect(dueActions([k1], at(22 * H), policy)).toEqual([]);
  expect(dueActions([k1], at(23 * H), policy)).toEqual([{ kind: 'create', after: 'k1', activeFrom: at(24 * H) }]);
  // A service that was stopped past the due time still publishes ahead before signing.
  expect(dueActions([k1], at(30 * H), policy)).toEqual([{ kind: 'create', after: 'k1', activeFrom: at(31 * H) }]);
});

test('the JWKS holds the active key first, the upcoming one, and retired keys until their tokens expired', () => {
  const keys = [key('k1', GENESIS, 0), key('k2', 'k1', 24 * H), key('k3', 'k2', 48 * H)];
  const justAfter = scheduleOf(keys, at(24 * H + 60_000), policy);
  expect(justAfter.active?.kid).toBe('k2');
  expect(publishedKeys(justAfter).map((k) => k.kid)).toEqual(['k2', 'k3', 'k1']);
  const later = scheduleOf(keys, at(24 * H + 11 * 60_000), policy);
  expect(publishedKeys(later).map((k) => k.kid)).toEqual(['k2', 'k3']);
  expect(later.expired.map((k) => k.kid)).toEqual(['k1']);
  expect(dueActions(keys, at(24 * H + 11 * 60_000), policy)).toEqual([{ kind: 'destroy', kid: 'k1', reason: 'expired' }]);
});

test('rotation on demand publishes a key ahead, or signs after the sync and cooldown when immediate, and reuses a published successor', () => {
  const k1 = key('k1', GENESIS, 0);
  expect(rotateNowActions([k1], at(H), policy, { immediate: false })).toEqual([
    { kind: 'create', after: 'k1', activeFrom: at(2 * H), advanceExisting: true },
  ]);
  // Never at once: every replica and every verifier must be able to know the key before it signs.
  expect(rotateNowActions([k1], at(H), policy, { immediate: true })).toEqual([
    { kind: 'create', after: 'k1', activeFrom: at(H + 45_000), advanceExisting: true },
  ]);
  const k2 = key('k2', 'k1', 24 * H);
  expect(rotateNowActions([k1, k2], at(H), policy, { immediate: true })).toEqual([
    { kind: 'advance', kid: 'k2', activeFrom: at(H + 45_000) },
  ]);
  // Already due sooner than asked: nothing to do.
  expect(rotateNowActions([k1, key('k2', 'k1', 90 * 60_000)], at(H), policy, { immediate: false })).toEqual([]);
});

test('revoking the signing key destroys it and a successor signs now: the published one if any, else a new one', () => {
  const k1 = key('k1', GENESIS, 0);
  expect(revokeActions([k1], 'k1', at(H), policy)).toEqual([
    { kind: 'create', after: 'k1', activeFrom: at(H), advanceExisting: true },
    { kind: 'destroy', kid: 'k1', reason: 'revoked' },
  ]);
  const k2 = key('k2', 'k1', 24 * H);
  expect(revokeActions([k1, k2], 'k1', at(H), policy)).toEqual([
    { kind: 'advance', kid: 'k2', activeFrom: at(H) },
    { kind: 'destroy', kid: 'k1', reason: 'revoked' },
  ]);
});

test('revoking a retired or upcoming key only destroys it; an unknown kid is undefined', () => {
  const keys = [key('k1', GENESIS, 0), key('k2', 'k1', 24 * H), key('k3', 'k2', 48 * H)];
  expect(revokeActions(keys, 'k1', at(24 * H + 60_000), policy)).toEqual([{ kind: 'destroy', kid: 'k1', reason: 'revoked' }]);
  expect(revokeActions(keys, 'k3', at(24 * H + 60_000), policy)).toEqual([{ kind: 'destroy', kid: 'k3', reason: 'revoked' }]);
  expect(revokeActions(keys, 'nope', at(24 * H + 60_000), policy)).toBeUndefined();
});
