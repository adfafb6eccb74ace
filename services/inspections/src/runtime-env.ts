import { loadInspectionsEnv } from './env.ts';

/** The process's parsed environment, read once. */
export const env = loadInspectionsEnv();
