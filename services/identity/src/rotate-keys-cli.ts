// Rotates the signing key on demand, from the service's environment:
// `node services/identity/src/rotate-keys-cli.ts [--immediate]`. The new key is published at once
// and signs after KEY_PUBLISH_AHEAD, or at once with --immediate (a key thought compromised). The
// running replicas take the new set from the store within KEY_SYNC_MS. Prints the published keys.
import { createLogger } from '@firegov/kit';
import { parseArgs } from 'node:util';
import { identityEnv, keyPolicyOf } from './env.ts';
import { keyStore } from './oidc/keys.ts';
import { startRuntime, stopRuntime } from './runtime.ts';

const { values } = parseArgs({ options: { immediate: { type: 'boolean', default: false } }, strict: true });
const env = identityEnv.loadTool();
const logger = createLogger({ service: 'identity-rotate-keys', level: env.LOG_LEVEL });
const rt = await startRuntime(env, logger);
try {
  const keys = keyStore({ models: rt.models, policy: keyPolicyOf(env), now: () => new Date(), logger });
  await keys.rotate({ immediate: values.immediate });
  for (const k of await keys.describe()) process.stdout.write(`${k.kid}\t${k.state}\t${k.activeFrom.toISOString()}\n`);
} finally {
  await stopRuntime(rt);
}
