import { loadAssessmentEnv } from './env.ts';

/** The process's parsed environment, read once. */
export const env = loadAssessmentEnv();
