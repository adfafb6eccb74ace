export * from './enums/index.ts';
export * from './ids/index.ts';
export * from './topics/asyncapi.ts';
export * from './topics/catalog.ts';
export * from './topics/define-topic.ts';
export * from './topics/entities.ts';
export * from './topics/inspections.ts';
export * from './topics/upstream.ts';
