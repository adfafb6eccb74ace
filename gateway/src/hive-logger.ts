import { Logger as HiveLogger, type LogLevel as HiveLogLevel } from '@graphql-hive/gateway-runtime';
import type { Logger } from '@firegov/kit';

// The runtime logs through its own logger; this sends its lines to the process's pino logger so
// they carry the service name and trace ids like every other line.
export function hiveLoggerFor(logger: Logger): HiveLogger {
  const child = logger.child({ component: 'hive-gateway' });
  return new HiveLogger({
    level: hiveLevel(logger.level),
    writers: [
      {
        write(level, attrs, msg) {
          const fields = attrs === null || attrs === undefined ? {} : Array.isArray(attrs) ? { attrs } : attrs;
          child[level](fields, msg ?? '');
        },
      },
    ],
  });
}

function hiveLevel(level: string): HiveLogLevel | false {
  switch (level) {
    case 'trace':
    case 'debug':
    case 'info':
    case 'warn':
    case 'error':
      return level;
    case 'fatal':
      return 'error';
    default:
      return false;
  }
}
