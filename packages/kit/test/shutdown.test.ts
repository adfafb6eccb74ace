import { createLogger, createShutdown } from '../src/index.ts';

const logger = createLogger({ service: 'test', level: 'silent' });

test('hooks run phase by phase in the stated order, whatever order they were registered in', async () => {
  const order: string[] = [];
  const s = createShutdown(logger);
  s.register('telemetry', 'flush traces', () => {
    order.push('telemetry');
  });
  s.register('connections', 'close mongo', async () => {
    await new Promise((r) => setTimeout(r, 20));
    order.push('connections');
  });
  s.register('intake', 'close http', () => {
    order.push('intake');
  });
  s.register('drain', 'stop consumers', async () => {
    await new Promise((r) => setTimeout(r, 10));
    order.push('drain');
  });
  s.register('background', 'stop relay', () => {
    order.push('background');
  });
  await s.run('test');
  expect(order).toEqual(['intake', 'drain', 'background', 'connections', 'telemetry']);
});

test('run is idempotent and a failing hook does not stop the later phases', async () => {
  let closed = 0;
  const s = createShutdown(logger);
  s.register('drain', 'broken', () => {
    throw new Error('boom');
  });
  s.register('connections', 'close', () => {
    closed += 1;
  });
  await Promise.all([s.run('a'), s.run('b')]);
  await s.run('c');
  expect(closed).toBe(1);
  expect(s.started).toBe(true);
});
