import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@firegov/kit';
import { composeFromSubgraphs, composeSupergraph, fetchSubgraphSdl } from '../src/compose.ts';
import { loadSupergraph } from '../src/supergraph-source.ts';
import {
  conflictingSchema,
  hazardsSchema,
  sdlOf,
  serveSubgraph,
  unitsSchema,
  type RunningSubgraph,
} from './fixtures/subgraphs.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
let units: RunningSubgraph;
let hazards: RunningSubgraph;

beforeAll(async () => {
  units = await serveSubgraph('units', unitsSchema());
  hazards = await serveSubgraph('hazards', hazardsSchema());
});

afterAll(async () => {
  await Promise.all([units.close(), hazards.close()]);
});

test('an owner of Unit @key(id) and a subgraph extending it compose', () => {
  const supergraph = composeSupergraph([units, hazards]);
  expect(supergraph).toContain(`UNITS @join__graph(name: "units", url: "${units.url}")`);
  expect(supergraph).toContain(`HAZARDS @join__graph(name: "hazards", url: "${hazards.url}")`);
  expect(supergraph).toMatch(
    /type Unit @join__type\(graph: HAZARDS, key: "id", extension: true\) @join__type\(graph: UNITS, key: "id"\)/,
  );
  expect(supergraph).toMatch(/openHazards: Int @join__field\(graph: HAZARDS\)/);
});

test('a conflicting pair fails with every composition error in the message', () => {
  const rival = { name: 'rival', url: 'http://127.0.0.1:1/graphql', typeDefs: sdlOf(conflictingSchema()) };
  let message = '';
  try {
    composeSupergraph([units, rival]);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^supergraph composition failed with 2 error\(s\):/);
  expect(message).toContain('[FIELD_TYPE_MISMATCH] Type of field "Unit.name" is incompatible across subgraphs');
  expect(message).toContain('[INVALID_FIELD_SHARING] Non-shareable field "Unit.name" is resolved from multiple subgraphs');
});

test('SDL that does not parse is reported with its subgraph name', () => {
  expect(() => composeSupergraph([{ name: 'broken', url: 'http://x/graphql', typeDefs: 'type Query {' }])).toThrow(
    /^subgraph "broken" SDL does not parse: Syntax Error/,
  );
  expect(() => composeSupergraph([])).toThrow('at least one subgraph');
});

test('fetchSubgraphSdl reads _service { sdl } over HTTP, with no token', async () => {
  expect(await fetchSubgraphSdl(units.url)).toBe(units.typeDefs);
  expect(units.authorizations.at(-1)).toBeNull();
});

test('fetchSubgraphSdl names the subgraph that does not answer or gives no SDL', async () => {
  await expect(fetchSubgraphSdl('http://127.0.0.1:1/graphql')).rejects.toThrow(
    /^subgraph http:\/\/127\.0\.0\.1:1\/graphql did not answer/,
  );
  // kit's 404 answer: JSON, but no SDL in it.
  await expect(fetchSubgraphSdl(units.url.replace('/graphql', '/nothing'))).rejects.toThrow(/\/nothing gave no SDL \(HTTP 404\)/);
});

test('composeFromSubgraphs composes from live subgraphs', async () => {
  expect(await composeFromSubgraphs([units, hazards])).toBe(composeSupergraph([units, hazards]));
});

describe('loadSupergraph', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-supergraph-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads the composed file when there is one, without asking the subgraphs', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    await writeFile(file, 'schema { query: Query }');
    const dead = [{ name: 'units', url: 'http://127.0.0.1:1/graphql' }];
    expect(await loadSupergraph({ path: file, subgraphs: dead, logger })).toEqual({
      sdl: 'schema { query: Query }',
      source: file,
    });
  });

  test('composes from the live subgraphs when the file is missing', async () => {
    const loaded = await loadSupergraph({ path: path.join(dir, 'missing.graphql'), subgraphs: [units, hazards], logger });
    expect(loaded.source).toBe('live subgraphs');
    expect(loaded.sdl).toBe(composeSupergraph([units, hazards]));
  });

  test('gives up on unreachable subgraphs after its timeout', async () => {
    const dead = [{ name: 'units', url: 'http://127.0.0.1:1/graphql' }];
    await expect(
      loadSupergraph({ path: path.join(dir, 'missing.graphql'), subgraphs: dead, logger, composeTimeoutMs: 300 }),
    ).rejects.toThrow(/did not answer/);
  });
});
