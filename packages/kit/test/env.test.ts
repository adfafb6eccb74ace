import { z } from 'zod';
import { EnvError, envFragments, loadEnvOrExit, parseEnv } from '../src/index.ts';

const serviceEnv = z.object({
  ...envFragments.common,
  ...envFragments.http,
  ...envFragments.kafka,
  ...envFragments.mongo,
  ...envFragments.redis,
  ...envFragments.telemetry,
});

test('defaults make a valid local configuration', () => {
  const env = parseEnv(serviceEnv, {});
  expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  expect(env.MONGO_URL).toBe('mongodb://127.0.0.1:27017');
  expect(env.PORT).toBe(0);
  expect(env.LOG_LEVEL).toBe('info');
});

test('every bad variable is reported at once, each with its reason', () => {
  let caught: unknown;
  try {
    parseEnv(serviceEnv, {
      PORT: '70000',
      KAFKA_BROKERS: 'localhost',
      MONGO_URL: 'postgres://x',
      REDIS_URL: 'not a url',
      LOG_LEVEL: 'loud',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
    });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(EnvError);
  const issues = (caught as EnvError).issues;
  expect(issues.map((i) => i.split(':')[0]).sort()).toEqual([
    'KAFKA_BROKERS',
    'LOG_LEVEL',
    'MONGO_URL',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'PORT',
    'REDIS_URL',
  ]);
  expect(issues.find((i) => i.startsWith('KAFKA_BROKERS'))).toContain('host:port');
  expect(issues.find((i) => i.startsWith('MONGO_URL'))).toContain('mongodb:');
  expect((caught as Error).message).toContain('PORT');
});

test('a comma-separated broker list is split and trimmed', () => {
  expect(parseEnv(serviceEnv, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
});

test('loadEnvOrExit prints every bad variable and exits with EX_CONFIG', () => {
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(() => loadEnvOrExit(serviceEnv, { PORT: '-1', REDIS_URL: 'x' })).toThrow('exit 78');
    const printed = write.mock.calls.map((c) => String(c[0])).join('');
    expect(printed).toContain('PORT');
    expect(printed).toContain('REDIS_URL');
  } finally {
    exit.mockRestore();
    write.mockRestore();
  }
});
