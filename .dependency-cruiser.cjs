// Layer rules checked by `npm run lint` (dependency-cruiser). Services talk to each other only through
// Kafka topics, GraphQL and HTTP, never by importing each other; packages are shared by services and
// know none of them; a service's domain is pure logic that knows nothing of its store, application
// layer, events, schema or HTTP; cross-service tests and load tests use public surfaces only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to understand, test or move on their own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve fails at run time, and no rule above can judge it.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: "A service's domain/ is pure logic: it imports no store, service, events, schema or http module.",
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: '^services/[^/]+/src/(store|service|events|schema|http)/' },
    },
    {
      name: 'no-cross-service-imports',
      severity: 'error',
      comment:
        'A service (its source, tests and benches) imports no other service: they meet on Kafka, GraphQL and HTTP. Cross-service tests live in e2e/, cross-service load tests in load-tests/.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-know-no-service',
      severity: 'error',
      comment: 'Shared packages are used by services and the gateway, never the other way round.',
      from: { path: '^packages/' },
      to: { path: '^(services|gateway)/' },
    },
    {
      name: 'gateway-knows-no-service',
      severity: 'error',
      comment: 'The gateway composes the services from their subgraph URLs, not from their source.',
      from: { path: '^gateway/' },
      to: { path: '^services/', pathNot: '^services/identity/test/harness\\.ts$' },
    },
    {
      name: 'nothing-reaches-into-the-gateway',
      severity: 'error',
      comment:
        'Services and the stack scripts reach the gateway over HTTP; its source is its own (a shared constant belongs in a package or infra).',
      from: { path: '^(services|packages|infra)/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'tests-and-benches-stay-in-their-service',
      severity: 'error',
      comment: 'Tests and benches outside e2e/ and load-tests/ import no service (packages, gateway, infra, scripts).',
      from: { path: '(^|/)(test|bench)/', pathNot: '^(services|e2e|load-tests)/' },
      // One exception: the gateway's tests of what only the identity service's real tokens can show
      // (trusted documents, revocation cutoffs) start it through its own test harness.
      to: { path: '^services/', pathNot: '^services/identity/test/harness\\.ts$' },
    },
    {
      name: 'e2e-and-load-tests-use-public-surfaces',
      severity: 'error',
      comment:
        'Cross-service tests and load tests start services and the gateway as processes and talk to them over HTTP, GraphQL and Kafka; they import no service or gateway source.',
      from: { path: '^(e2e|load-tests)/' },
      to: { path: '^(services/[^/]+/src|gateway/src)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.data|reports)/' },
    // Type-only imports count: a domain module that imports a store type still depends on the store.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Workspace packages resolve through node_modules symlinks to packages/*/src (their `exports`).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
