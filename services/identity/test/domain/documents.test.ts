import { DomainError } from '@firegov/contracts';
import type { PlatformClient } from '../../src/domain/client.ts';
import {
  documentHash,
  documentProblem,
  MAX_DOCUMENTS_PER_CLIENT,
  withDocuments,
  withoutDocuments,
  withTrustedDocumentsOnly,
} from '../../src/domain/documents.ts';

// The pure rules of trusted documents: what is a document, how they are added and removed.

const client: PlatformClient = {
  _id: 'pc_1',
  version: 3,
  name: '县平台',
  role: 'county_admin',
  jurisdiction: '500230000000',
  scope: ['500230000000'],
  access: 'read',
  secretHash: 'scrypt$x',
  status: 'active',
  createdAt: '2026-11-30T00:00:00.000Z',
  createdBy: 'demo-county',
  demo: false,
  documents: [],
};
const meta = { now: new Date('2026-11-30T08:00:00.000Z'), actor: 'demo-county' };

test('a document is executable GraphQL: operations and fragments, at least one operation', () => {
  expect(documentProblem('query Q { units { ...F } } fragment F on Unit { id }')).toBeUndefined();
  expect(documentProblem('{ units { id ')).toMatch(/^does not parse as GraphQL: Syntax Error/);
  expect(documentProblem('scalar Date')).toBe('must hold operations and fragments only, not ScalarTypeDefinition');
  expect(documentProblem('fragment F on Unit { id }')).toBe('holds no operation');
});

test('the hash is the sha256 hex of the exact text', () => {
  // echo -n '{ a }' | sha256sum
  expect(documentHash('{ a }')).toBe('1c7e1e347f726166b5b1c55afd61f278cc9b45e00c108ec33d540a566379811b');
  expect(documentHash('{ a }')).not.toBe(documentHash('{ a } '));
});

test('adding documents: new ones bump the version and are named; known ones and repeats change nothing', () => {
  const first = withDocuments(client, ['{ a }', '{ b }', '{ a }'], meta);
  expect(first.added).toEqual([documentHash('{ a }'), documentHash('{ b }')]);
  expect(first.documents.map((d) => d.document)).toEqual(['{ a }', '{ b }']);
  expect(first.client.version).toBe(4);
  expect(first.client.documents).toHaveLength(2);

  const again = withDocuments(first.client, ['{ b }'], { ...meta, now: new Date('2026-12-01T00:00:00.000Z') });
  expect(again.added).toEqual([]);
  expect(again.client).toBe(first.client);
  expect(again.documents[0]!.registeredAt).toBe('2026-11-30T08:00:00.000Z');
});

test('a client holds at most MAX_DOCUMENTS_PER_CLIENT documents', () => {
  const full = {
    ...client,
    documents: withDocuments(
      client,
      Array.from({ length: MAX_DOCUMENTS_PER_CLIENT }, (_, i) => `{ f${i} }`),
      meta,
    ).client.documents,
  };
  expect(() => withDocuments(full, ['{ one_more }'], meta)).toThrow(DomainError);
  expect(withDocuments(full, ['{ f0 }'], meta).added).toEqual([]);
});

test('a revoked client gets no documents', () => {
  expect(() => withDocuments({ ...client, status: 'revoked' }, ['{ a }'], meta)).toThrow(
    /cannot register documents for a record that is revoked/,
  );
});

test('removing names each hash the client does not have, and removes nothing then', () => {
  const { client: withTwo } = withDocuments(client, ['{ a }', '{ b }'], meta);
  let err: unknown;
  try {
    withoutDocuments(withTwo, [documentHash('{ a }'), documentHash('{ c }')]);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).details).toEqual([{ path: '$.hashes[1]', reason: 'no document of this client has this hash' }]);
  const { client: left, removed } = withoutDocuments(withTwo, [documentHash('{ a }')]);
  expect(removed).toEqual([documentHash('{ a }')]);
  expect(left.documents!.map((d) => d.document)).toEqual(['{ b }']);
  expect(left.version).toBe(withTwo.version + 1);
});

test('switching the limit bumps the version only when it changes', () => {
  const on = withTrustedDocumentsOnly(client, true);
  expect(on).toMatchObject({ trustedDocumentsOnly: true, version: 4 });
  expect(withTrustedDocumentsOnly(on, true)).toBe(on);
  expect(withTrustedDocumentsOnly(client, false)).toBe(client);
});
