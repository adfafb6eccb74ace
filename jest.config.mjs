// One jest run for the whole workspace. Sources are ESM TypeScript run by Node's type stripping;
// under jest, ts-jest transpiles them to CommonJS without type-checking (tsc does that in CI).
import fs from 'node:fs';

// Only folders that exist: services/ and gateway/ fill in as they land. e2e/ holds the cross-service
// tests, which start the services as processes and talk to them only through their public surfaces.
const roots = ['packages', 'services', 'gateway', 'infra', 'scripts', 'e2e', 'load-tests']
  .filter((d) => fs.existsSync(d))
  .map((d) => `<rootDir>/${d}`);

export default {
  testEnvironment: 'node',
  roots,
  testMatch: ['**/test/**/*.test.ts', '<rootDir>/e2e/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
    // oidc-provider (services/identity) and the jose it bundles ship ESM only; jest's CommonJS
    // runtime needs them transpiled (Node's own require(esm) needs --experimental-vm-modules under jest).
    '/node_modules/(oidc-provider|oidc-provider/node_modules/jose)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true, isolatedModules: true }, diagnostics: false },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!oidc-provider/)(?!jose/dist/webapi/)'],
  // Integration tests share one Kafka/FerretDB on 2 cores; more workers only add contention.
  maxWorkers: 2,
  testTimeout: 60_000,
  // A test file that leaves a handle open must not hang CI: fail loudly instead of waiting.
  forceExit: false,
};
