import { agencyPushStorm } from './agency-push-storm.ts';
import { citizenReports } from './citizen-reports.ts';
import { countyDashboard } from './county-dashboard.ts';
import { examDay } from './exam-day.ts';
import { hazardQueue } from './hazard-queue.ts';
import { sensorIngest } from './sensor-ingest.ts';
import type { Scenario } from './types.ts';
import { unitLookups } from './unit-lookups.ts';

/** Every scenario, by name: what the harness runs and what load-tests/k6/ must have a script for. */
export const scenarios: readonly Scenario[] = [
  countyDashboard,
  unitLookups,
  hazardQueue,
  agencyPushStorm,
  citizenReports,
  sensorIngest,
  examDay,
];
