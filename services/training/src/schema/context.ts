import type { Identity } from '@firegov/auth';
import { unauthenticated } from '@firegov/kit';
import type { CertificateService } from '../service/certificates.ts';
import type { CourseService } from '../service/courses.ts';
import type { ExamService } from '../service/exams.ts';
import type { QuestionBankService } from '../service/question-banks.ts';
import type { OutreachServices } from '../service/outreach.ts';
import type { PeopleServices } from '../service/people-services.ts';

export interface Services extends OutreachServices, PeopleServices {
  courses: CourseService;
  questionBanks: QuestionBankService;
  exams: ExamService;
  certificates: CertificateService;
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
