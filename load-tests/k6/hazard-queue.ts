// k6 run load-tests/k6/hazard-queue.ts -e TOKEN=$TOKEN [-e BASE_URL=https://gateway.example]
import { hazardQueue as scenario } from '../scenarios/hazard-queue.ts';
import { k6Options } from '../scenarios/types.ts';
import { iterate, setupFor, type SetupData } from './common.ts';

export const options = k6Options(scenario);
export const setup = (): SetupData => setupFor(scenario);
export default (data: SetupData): void => iterate(scenario, data);
