export * from './app.ts';
export * from './env.ts';
export * from './main.ts';
export * from './pagination.ts';
export * from './runtime.ts';
export * from './subgraph/builder.ts';
export * from './subgraph/yoga.ts';
export * from './subgraph/context.ts';
