export * from './lookup.ts';
export * from './models.ts';
export * from './projection.ts';
