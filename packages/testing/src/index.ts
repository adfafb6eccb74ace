export * from './env.ts';
export * from './eventually.ts';
export * from './kafka.ts';
export * from './logger.ts';
export * from './mongo.ts';
export * from './namespace.ts';
export { listen as startApp } from '@firegov/kit';
export * from './http-load.ts';
export * from './clock.ts';
