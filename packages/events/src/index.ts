export * from './backoff.ts';
export * from './consumer.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './kafka.ts';
export * from './outbox.ts';
export * from './publisher.ts';
export * from './tracing.ts';
