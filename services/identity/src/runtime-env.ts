import { identityEnv } from './env.ts';

/** The process's parsed environment, read once (instrument.ts needs it before anything else loads). */
export const env = identityEnv.load();
