// Rotates or revokes the signing key on demand, from the service's environment:
//   node services/identity/src/rotate-keys-cli.ts [--immediate]
//   node services/identity/src/rotate-keys-cli.ts --revoke <kid>
// Rotation publishes a new key at once; it signs after KEY_PUBLISH_AHEAD, or with --immediate after
// KEY_SYNC_MS + the verifiers' 30 s refetch cooldown. The old key stays published until its tokens
// expire. --revoke (a key thought compromised) unpublishes and destroys the key now, and if it signed,
// a successor signs now. The running replicas take the new set from the store within KEY_SYNC_MS.
// Prints the published keys. The command line needs no token: whoever runs it has the service's
// environment (its store and KEY_ENCRYPTION_KEY), i.e. operates the deployment.
import { createLogger } from '@firegov/kit';
import { parseArgs } from 'node:util';
import { identityEnv, keyPolicyOf } from './env.ts';
import { keyStore } from './oidc/keys.ts';
import { keySealer } from './oidc/seal.ts';
import { startRuntime, stopRuntime } from './runtime.ts';

const { values } = parseArgs({
  options: { immediate: { type: 'boolean', default: false }, revoke: { type: 'string' } },
  strict: true,
});
if (values.revoke !== undefined && values.immediate) {
  process.stderr.write('--revoke and --immediate do not go together: a revoked key is replaced at once\n');
  process.exit(2);
}
const env = identityEnv.loadTool();
const logger = createLogger({ service: 'identity-rotate-keys', level: env.LOG_LEVEL });
const rt = await startRuntime(env, logger);
try {
  const keys = keyStore({
    models: rt.models,
    policy: keyPolicyOf(env),
    now: () => new Date(),
    logger,
    sealer: keySealer(env.KEY_ENCRYPTION_KEY),
  });
  if (values.revoke !== undefined) await keys.revoke(values.revoke);
  else await keys.rotate({ immediate: values.immediate });
  for (const k of await keys.describe()) process.stdout.write(`${k.kid}\t${k.state}\t${k.activeFrom.toISOString()}\n`);
} finally {
  await stopRuntime(rt);
}
