// k6 run load-tests/k6/agency-push-storm.ts -e ASSESSMENT_URL=https://assessment.example
//   -e AGENCY_CLIENT_ID=<agency id>.<…> -e AGENCY_CLIENT_SECRET=… (an API client of an agency with a
//   contract over the township below: the county creates one with createAgencyApiClient; locally
//   `npm start` prints the demo agency's) -e TOKEN=<a township_officer of 500230213000, for the setup
//   lookup of units and the agency's engineers> [-e BASE_URL=https://gateway.example]
// Every push is a new assessment in that deployment (about a quarter with a finding, i.e. a hazard).
import { agencyPushStorm as scenario } from '../scenarios/agency-push-storm.ts';
import { k6Options } from '../scenarios/types.ts';
import { iterate, setupFor, type SetupData } from './common.ts';

export const options = k6Options(scenario);
export const setup = (): SetupData => setupFor(scenario);
export default (data: SetupData): void => iterate(scenario, data);
