import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { IdentityToolEnv } from './env.ts';
import { identityModels, outboxCollections, type IdentityModels } from './store/models.ts';

export type IdentityRuntime = ServiceRuntime<IdentityModels>;

/** The identity store: what the process and its command-line tools open. */
export const identityStore: ServiceStore<IdentityModels> = { service: 'identity', models: identityModels, outboxCollections };

export const startRuntime = (env: IdentityToolEnv, logger: Logger): Promise<IdentityRuntime> =>
  startServiceRuntime({ ...identityStore, env, logger });

export const stopRuntime = stopServiceRuntime;
