// k6 run load-tests/k6/exam-day.ts -e TOKENS=<20 tokens of township_officers of 500230213000, the
//   proctors, comma-separated> [-e BASE_URL=https://gateway.example]
// Needs an exam of at least 10 questions visible there; each examinee is a new person of the run.
import { examDay as scenario } from '../scenarios/exam-day.ts';
import { k6Options } from '../scenarios/types.ts';
import { iterate, setupFor, type SetupData } from './common.ts';

export const options = k6Options(scenario);
export const setup = (): SetupData => setupFor(scenario);
export default (data: SetupData): void => iterate(scenario, data);
