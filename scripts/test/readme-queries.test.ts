import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { composedApiSchema, SUBGRAPH_POLICIES } from '../policy-coverage.ts';

// Every GraphQL example in the README is valid against the supergraph the gateway serves (composed
// offline from the services' schemas), so a renamed field or argument cannot leave a newcomer with
// an example that answers an error.

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
// The examples post JSON bodies by hand: `-d '{"query":"…"}'`, the query a JSON string.
const examples = [...readme.matchAll(/'\{"query":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
const api = composedApiSchema(SUBGRAPH_POLICIES);

test('the README has GraphQL examples to check', () => {
  expect(examples.length).toBeGreaterThanOrEqual(8);
});

test.each(examples.map((q) => [q.slice(0, 70), q]))('%s… is valid against the supergraph', (_label, query) => {
  const errors = validate(api, parse(query));
  expect(errors.map((e) => e.message)).toEqual([]);
});
