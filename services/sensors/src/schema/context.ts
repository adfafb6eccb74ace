import type { Identity } from '@firegov/auth';
import { callerOf, type SubgraphContext } from '@firegov/service';
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

export type GraphContext = SubgraphContext<Services>;

export const createGraphContext = (services: Services, identity: Identity | undefined): GraphContext => ({ identity, services });

export const who = callerOf;
