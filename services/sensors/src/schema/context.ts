import type { Identity } from '@firegov/auth';
import { unauthenticated } from '@firegov/kit';
import type { AlarmFeed } from '../service/alarm-feed.ts';
import type { AlarmService } from '../service/alarms.ts';
import type { DeviceService } from '../service/devices.ts';
import type { GatewayService } from '../service/gateways.ts';
import type { HealthReport } from '../service/health-report.ts';
import type { ProfileBook } from '../service/profiles.ts';
import type { readingHistory } from '../service/reading-hours.ts';

export interface Services {
  devices: DeviceService;
  alarms: AlarmService;
  profiles: ProfileBook;
  readings: ReturnType<typeof readingHistory>;
  health: HealthReport;
  gateways: GatewayService;
  feed: AlarmFeed;
  now: () => Date;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
}

export const createGraphContext = (services: Services, identity: Identity | undefined): GraphContext => ({ identity, services });

/** The caller; every resolver that touches data needs one. */
export function who(ctx: GraphContext): Identity {
  if (!ctx.identity) throw unauthenticated('a valid bearer token is required');
  return ctx.identity;
}
