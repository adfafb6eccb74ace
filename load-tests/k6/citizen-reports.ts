// k6 run load-tests/k6/citizen-reports.ts -e INSPECTIONS_URL=https://inspections.example
// No account: the public report API. It limits submissions per client address
// (PUBLIC_RATE_LIMIT_PER_MINUTE, 20): each simulated citizen sends X-Forwarded-For with an address of
// its own, which counts only where the service trusts the proxy k6 comes through (TRUST_PROXY, or
// loopback); otherwise raise the limit for the run. Every report lands in the township's triage queue.
import { citizenReports as scenario } from '../scenarios/citizen-reports.ts';
import { k6Options } from '../scenarios/types.ts';
import { iterate, setupFor, type SetupData } from './common.ts';

export const options = k6Options(scenario);
export const setup = (): SetupData => setupFor(scenario);
export default (data: SetupData): void => iterate(scenario, data);
