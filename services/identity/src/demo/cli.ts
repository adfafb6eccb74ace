// Loads the demo county's identities: `node services/identity/src/demo/cli.ts`. The demo people,
// one per role of a person (password DEMO_USER_PASSWORD, stored hashed), and the demo county
// platform client DEMO_PLATFORM_CLIENT_ID (secret DEMO_PLATFORM_CLIENT_SECRET, stored hashed).
// Loading twice changes nothing but the hashes; npm start prints both secrets.
import { hashSecret, redisClientCutoffs, type Identity } from '@firegov/auth';
import { collectionOf, createLogger } from '@firegov/kit';
import { clientService } from '../service/client.ts';
import { identityEnv } from '../env.ts';
import { startRuntime, stopRuntime } from '../runtime.ts';
import { loadDemoUsers } from './users.ts';

export const DEMO_PLATFORM_CLIENT_ID = 'pc_demo_county';

const env = identityEnv.loadTool();
const logger = createLogger({ service: 'identity-demo', level: env.LOG_LEVEL });
if (!env.DEMO_USER_PASSWORD || !env.DEMO_PLATFORM_CLIENT_SECRET) {
  process.stderr.write('DEMO_USER_PASSWORD and DEMO_PLATFORM_CLIENT_SECRET are required\n');
  process.exit(2);
}
const rt = await startRuntime(env, logger);
try {
  const users = await loadDemoUsers(rt.models, env.DEMO_USER_PASSWORD, () => new Date());
  // Registers only; nothing it does cuts off a client's tokens.
  const clients = clientService({
    models: rt.models,
    relay: rt.relay,
    now: () => new Date(),
    cutoffs: redisClientCutoffs(rt.redis),
    logger,
  });
  const admin: Identity = { subject: 'demo-county', role: 'county_admin', jurisdiction: '500230000000' };
  const existing = await clients.find(DEMO_PLATFORM_CLIENT_ID);
  if (existing) {
    // The secret follows npm start's root secret; a changed one takes effect here.
    await collectionOf(rt.models.clients).updateOne(
      { _id: DEMO_PLATFORM_CLIENT_ID },
      { $set: { secretHash: hashSecret(env.DEMO_PLATFORM_CLIENT_SECRET), status: 'active' } },
    );
  } else {
    await clients.register(
      admin,
      { name: '县级平台（演示）', role: 'county_admin', jurisdiction: '500230000000', access: 'read' },
      { demo: true, id: DEMO_PLATFORM_CLIENT_ID, secret: env.DEMO_PLATFORM_CLIENT_SECRET },
    );
  }
  await rt.relay.flush();
  logger.info({ users: users.map((u) => u.username), client: DEMO_PLATFORM_CLIENT_ID }, 'demo identities loaded');
} finally {
  await stopRuntime(rt);
}
