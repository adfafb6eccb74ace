import { createLogger, type Logger } from '@firegov/kit';
import { testEnv } from './env.ts';

export function testLogger(service = 'test'): Logger {
  return createLogger({ service, level: testEnv.TEST_LOG_LEVEL });
}
