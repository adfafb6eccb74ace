// One jest run for the whole workspace. Sources are ESM TypeScript run by Node's type stripping;
// under jest, ts-jest transpiles them to CommonJS without type-checking (tsc does that in CI).
import fs from 'node:fs';

// Only folders that exist: services/ and gateway/ fill in as they land.
const roots = ['packages', 'services', 'gateway', 'infra', 'scripts']
  .filter((d) => fs.existsSync(d))
  .map((d) => `<rootDir>/${d}`);

export default {
  testEnvironment: 'node',
  roots,
  testMatch: ['**/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  // Integration tests share one Kafka/FerretDB on 2 cores; more workers only add contention.
  maxWorkers: 2,
  testTimeout: 60_000,
  // A test file that leaves a handle open must not hang CI: fail loudly instead of waiting.
  forceExit: false,
};
