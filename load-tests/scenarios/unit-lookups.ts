import type { Scenario } from './types.ts';

// Inspectors opening units one after another: a unit by id with its risk, and a name search.
export const unitLookups: Scenario = {
  name: 'unit_lookups',
  description: 'a unit by id (with its risk factors) and a name search, through the gateway',
  auth: { kind: 'user', role: 'township_officer', jurisdiction: '500230213000', users: 20 },
  setup: {
    graphql: { operationName: 'UnitIds', query: 'query UnitIds { units(first: 100) { nodes { id name } } }' },
    extract: (data) => {
      const nodes = (data as { units: { nodes: Array<{ id: string; name: string }> } }).units.nodes;
      return { unitId: nodes.map((n) => n.id), namePart: nodes.map((n) => [...n.name].slice(0, 2).join('')) };
    },
  },
  requests: [
    {
      name: 'unit by id',
      graphql: {
        operationName: 'Unit',
        query: 'query Unit($id: ID!) { unit(id: $id) { id name category risk { grade score factors { label points } } } }',
        variables: (pick) => ({ id: pick('unitId') }),
      },
    },
    {
      name: 'name search',
      graphql: {
        operationName: 'UnitSearch',
        query: 'query UnitSearch($q: String) { units(first: 20, filter: { search: $q }) { edges { node { id name } } } }',
        variables: (pick) => ({ q: pick('namePart') }),
      },
    },
  ],
  load: { ratePerSecond: 50, durationS: 30, maxConcurrency: 20 },
  thresholds: { failedRate: 0.01, p95Ms: 200, p99Ms: 500 },
};
