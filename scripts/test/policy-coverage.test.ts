import { PLATFORM_SERVICES } from '../../infra/src/services.ts';
import { policyCoverage, SUBGRAPH_POLICIES, type SubgraphPolicy } from '../policy-coverage.ts';

// The policy coverage test: the supergraph composed from the real services' schemas, every
// Query/Mutation/Subscription field of it (and each subgraph's _entities) needs an entry in the
// policy table of the subgraph that serves it, and no entry may name a field that is gone.

test('every root field of the composed supergraph has a policy entry, and every entry a field', () => {
  const coverage = policyCoverage(SUBGRAPH_POLICIES);
  expect(coverage.fields).toBeGreaterThan(100);
  expect({ missing: coverage.missing, stale: coverage.stale }).toEqual({ missing: [], stale: [] });
});

test('every service of the platform is in the policy check', () => {
  expect(SUBGRAPH_POLICIES.map((s) => s.name).sort()).toEqual(PLATFORM_SERVICES.map((s) => s.name).sort());
});

test('a field without an entry and an entry without a field are both named', () => {
  const withGaps: SubgraphPolicy[] = SUBGRAPH_POLICIES.map((s) => {
    if (s.name !== 'sensors') return s;
    const { ['Query.alarms']: _dropped, ...rest } = s.policy;
    return { ...s, policy: { ...rest, 'Mutation.launchRocket': { roles: ['county_admin'], relation: 'data' } } };
  });
  expect(policyCoverage(withGaps)).toMatchObject({
    missing: ['sensors: Query.alarms'],
    stale: ['sensors: Mutation.launchRocket'],
  });
});
