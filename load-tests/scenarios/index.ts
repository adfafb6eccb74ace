import { countyDashboard } from './county-dashboard.ts';
import { hazardQueue } from './hazard-queue.ts';
import type { Scenario } from './types.ts';
import { unitLookups } from './unit-lookups.ts';

/** Every scenario, by name: what the harness runs and what load-tests/k6/ must have a script for. */
export const scenarios: readonly Scenario[] = [countyDashboard, unitLookups, hazardQueue];
