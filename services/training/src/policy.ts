import { definePolicy, rolesExcept, type PolicyEntry } from '@firegov/service';
import type { Role } from '@firegov/auth';

// Who may call each root field of the training subgraph. Learning content (courses, exams,
// certificates) is read by the county's own organisation, filtered to what was written in or above
// the caller's jurisdiction (learning-access.ts contentFilter); outreach records (visits, drills,
// publicity, volunteers, surveys) and training people are theirs too (outreach-access.ts,
// people.ts). Writers follow each service's role list. The learning platform pushes xAPI over REST
// (POST /xapi/statements) naming courses by id (`…/courses/<course id>`), so it reads the course
// catalogue and nothing else; agencies and device gateways have no flow here.

const USERS: Role[] = rolesExcept('agency', 'device_gateway', 'learning_platform');
/** Courses, exams and question banks are written by the county and townships (CONTENT_AUTHORS). */
const AUTHORS: Role[] = ['county_admin', 'township_officer'];
/** Exams are proctored, and people registered, down to the village. */
const PROCTORS: Role[] = ['county_admin', 'township_officer', 'village_grid_manager'];
/** Outreach (五进, 敲门行动, drills, volunteers) is recorded by the staff who go out, and the brigade. */
const OUTREACH: Role[] = ['county_admin', 'township_officer', 'village_grid_manager', 'fire_brigade'];
/** Volunteer hours are confirmed, and volunteers recognised, by township or county staff. */
const CONFIRMERS: Role[] = ['county_admin', 'township_officer'];

const content: PolicyEntry = { roles: USERS, relation: 'data' };
const catalogue: PolicyEntry = {
  roles: [...USERS, 'learning_platform'],
  relation: 'data',
  note: 'The learning platform names courses by id in its xAPI statements.',
};
const users: PolicyEntry = { roles: USERS, relation: 'data' };
const of = (roles: Role[], note?: string): PolicyEntry => ({ roles, relation: 'data', ...(note ? { note } : {}) });

export const trainingPolicy = definePolicy({
  'Query._entities': { ...content, note: 'Units’ training coverage, scoped to the caller’s jurisdiction.' },
  'Query.drillRules': {
    roles: [],
    relation: 'public',
    note: 'Drill frequency rules by unit category: reference data, naming no place or person.',
  },
  'Query.course': catalogue,
  'Query.courses': catalogue,
  'Query.exam': content,
  'Query.exams': content,
  'Query.examAttempt': content,
  'Query.examAttempts': content,
  'Query.openExamAttempt': content,
  'Query.certificate': content,
  'Query.certificates': content,
  'Query.expiringCertificates': content,
  'Query.questionBank': of(AUTHORS, 'Questions with their answers: authors only.'),
  'Query.questionBanks': of(AUTHORS),
  'Query.trainingPerson': users,
  'Query.trainingPeople': users,
  'Query.trainingCoverage': users,
  'Query.trainingExpiring': users,
  'Query.trainingRequirements': users,
  'Query.keyUnitsMissingTraining': users,
  'Query.doorVisits': users,
  'Query.doorVisitCoverage': users,
  'Query.doorVisitPriority': users,
  'Query.drills': users,
  'Query.overdueDrills': users,
  'Query.fireTeamTraining': users,
  'Query.publicityEvents': users,
  'Query.publicityCoverage': users,
  'Query.volunteers': { ...users, note: 'A villageCode outside the caller’s jurisdiction lists nothing.' },
  'Query.volunteerRanking': users,
  'Query.literacySurvey': users,
  'Query.surveyResults': users,

  'Mutation.createCourse': of(AUTHORS),
  'Mutation.updateCourse': of(AUTHORS),
  'Mutation.defineExam': of(AUTHORS),
  'Mutation.createQuestionBank': of(AUTHORS),
  'Mutation.addQuestions': of(AUTHORS),
  'Mutation.startExamAttempt': of(PROCTORS),
  'Mutation.answerExamQuestion': of(PROCTORS),
  'Mutation.submitExamAttempt': of(PROCTORS),
  'Mutation.registerTrainingPerson': of(PROCTORS),
  'Mutation.assignTrainingRoles': of(PROCTORS),
  'Mutation.changeTrainingRequirement': of(['county_admin'], 'Required-training rules are the county’s.'),
  'Mutation.recordDoorVisit': of(OUTREACH),
  'Mutation.recordDrill': of(OUTREACH),
  'Mutation.recordFireTeamSession': of(OUTREACH),
  'Mutation.recordPublicityEvent': of(OUTREACH),
  'Mutation.registerVolunteer': of(OUTREACH),
  'Mutation.recordVolunteerActivity': of(OUTREACH),
  'Mutation.createLiteracySurvey': of(OUTREACH),
  'Mutation.recordSurveyResponse': of(OUTREACH),
  'Mutation.confirmVolunteerActivity': of(CONFIRMERS),
  'Mutation.recogniseVolunteer': of(CONFIRMERS),
});
