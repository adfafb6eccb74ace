import { drillService } from './drills.ts';
import type { OutreachDeps } from './outreach-deps.ts';
import { publicityService } from './publicity.ts';
import { surveyService } from './surveys.ts';
import { teamTrainingService } from './team-training.ts';
import { visitService } from './visits.ts';
import { volunteerService } from './volunteers.ts';

/** The outreach area's services: 五进 publicity, 敲门行动, surveys, volunteers, drills, team training. */
export function outreachServices(deps: OutreachDeps) {
  return {
    publicity: publicityService(deps),
    visits: visitService(deps),
    surveys: surveyService(deps),
    volunteers: volunteerService(deps),
    drills: drillService(deps),
    teamTraining: teamTrainingService(deps),
  };
}

export type OutreachServices = ReturnType<typeof outreachServices>;
