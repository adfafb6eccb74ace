import type { Logger } from '@firegov/kit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KeySet, KeyStore } from './keys.ts';

// Keeps the running provider in step with the key set in the store. The provider takes its keys
// at construction, so a change of the published set (a successor published, a retired key
// dropped) builds a new one; its state is all in Redis and the store, so nothing is lost.

export interface ProviderRing {
  /** The provider serving now. */
  provider(): Provider;
  /** The kid that signs now. */
  activeKid(): string;
  /** Serves a request with the current provider. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Reads the key set back from the store now (after a rotation, or on a timer). */
  sync(): Promise<KeySet>;
  rotate(o: { immediate: boolean }): Promise<KeySet>;
  /** Unpublishes and destroys a key now; this replica stops serving and signing with it at once. */
  revoke(kid: string): Promise<KeySet>;
  stop(): void;
}

export async function startProviderRing(o: {
  keys: KeyStore;
  build: (keys: KeySet, activeKid: () => string) => Provider;
  syncMs: number;
  logger: Logger;
}): Promise<ProviderRing> {
  let set = await o.keys.sync();
  const activeKid = () => set.activeKid;
  let provider = o.build(set, activeKid);
  let handler = provider.callback();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const adopt = (next: KeySet): KeySet => {
    const changed = next.fingerprint !== set.fingerprint;
    set = next;
    if (changed) {
      provider = o.build(set, activeKid);
      handler = provider.callback();
      o.logger.info({ activeKid: set.activeKid, published: set.fingerprint }, 'signing keys changed: provider rebuilt');
    }
    // A rotation may have brought the next boundary closer than the timer.
    schedule();
    return set;
  };

  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    // Wake at the next boundary (a key starts signing, a retired one stops being published) or the sync period.
    const untilChange = set.nextChange ? Math.max(0, set.nextChange.getTime() - Date.now()) + 5 : Infinity;
    timer = setTimeout(() => void tick(), Math.min(o.syncMs, untilChange));
    timer.unref();
  }
  async function tick() {
    try {
      adopt(await o.keys.sync());
    } catch (err) {
      // The store may be away for a moment; the provider keeps signing with what it has.
      o.logger.warn({ err: (err as Error).message }, 'signing keys: sync failed, retrying');
      schedule();
    }
  }
  schedule();

  return {
    provider: () => provider,
    activeKid,
    handle: (req, res) => void handler(req, res),
    sync: async () => adopt(await o.keys.sync()),
    rotate: async (r) => adopt(await o.keys.rotate(r)),
    revoke: async (kid) => adopt(await o.keys.revoke(kid)),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
