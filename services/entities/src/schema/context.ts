import type { Identity } from '@firegov/auth';
import DataLoader from 'dataloader';
import type { PersonalDataReadService } from '../service/personal-data-reads.ts';
import type { RegistryService } from '../service/registry.ts';
import type { UnitService } from '../service/units.ts';
import { requireIdentity } from '../service/access.ts';
import type { UnitDoc } from '../store/models.ts';

export interface Services {
  units: UnitService;
  registry: RegistryService;
  personalData: PersonalDataReadService;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
  loaders: { unit: DataLoader<string, UnitDoc | null> };
}

/** One context per request: loaders batch and cache within the request only. */
export function createGraphContext(services: Services, identity: Identity | undefined): GraphContext {
  return {
    identity,
    services,
    loaders: {
      unit: new DataLoader<string, UnitDoc | null>((ids) => services.units.byIds(requireIdentity(identity), ids), {
        maxBatchSize: 200,
      }),
    },
  };
}

export const who = (ctx: GraphContext): Identity => requireIdentity(ctx.identity);
