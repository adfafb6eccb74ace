import { certificateService } from './certificates.ts';
import { courseService } from './courses.ts';
import { examService } from './exams.ts';
import type { LearningDeps } from './learning-access.ts';
import { questionBankService } from './question-banks.ts';

/** Learning's services, wired together: the exam service issues certificates through the certificate service. */
export function learningServices(deps: LearningDeps) {
  const certificates = certificateService(deps);
  return {
    courses: courseService(deps),
    questionBanks: questionBankService(deps),
    exams: examService({ ...deps, certificates }),
    certificates,
  };
}

export type LearningServices = ReturnType<typeof learningServices>;
