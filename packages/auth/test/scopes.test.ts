import { isPlatformClient, missingScope, scopeRefusal, type Identity } from '../src/index.ts';

// Platform clients are held to the scopes their tokens carry; people to their roles alone.

const place = { role: 'county_admin', jurisdiction: '500230000000' } as const;
const platform = (...scopes: string[]): Identity => ({ ...place, subject: 'pc_1', client: { id: 'pc_1', scopes } });
const person = (...scopes: string[]): Identity => ({
  ...place,
  subject: 'demo-county',
  client: { id: 'firegov-console', scopes },
});

test('a platform client is the token whose subject is its client', () => {
  expect(isPlatformClient(platform('read'))).toBe(true);
  expect(isPlatformClient(person('read'))).toBe(false);
  expect(isPlatformClient({ ...place, subject: 'pc_1' })).toBe(false);
});

test('read queries and listens, write changes (and reads); nothing is granted without a scope', () => {
  expect(missingScope(platform('read'), 'query')).toBeUndefined();
  expect(missingScope(platform('read'), 'subscription')).toBeUndefined();
  expect(missingScope(platform('read'), 'mutation')).toBe('write');
  expect(missingScope(platform('read', 'write'), 'mutation')).toBeUndefined();
  expect(missingScope(platform('write'), 'query')).toBeUndefined();
  expect(missingScope(platform(), 'query')).toBe('read');
  expect(missingScope(platform('openid', 'profile'), 'mutation')).toBe('write');
});

test('people are never refused for scope, whatever their app asked for', () => {
  expect(missingScope(person(), 'mutation')).toBeUndefined();
  expect(missingScope(person('openid'), 'mutation')).toBeUndefined();
  expect(missingScope({ ...place, subject: 'dev' }, 'mutation')).toBeUndefined();
});

test('the refusal is FORBIDDEN naming what was called, the scope it needs and the scopes the token has', () => {
  const err = scopeRefusal(platform('read'), 'mutation', 'Mutation.registerUnit');
  expect(err?.code).toBe('FORBIDDEN');
  expect(err?.message).toBe('Mutation.registerUnit needs scope write; this platform client\'s token carries scope "read"');
  expect(err?.details).toEqual([{ path: 'scope', reason: 'a mutation needs write' }]);
  expect(scopeRefusal(platform(), 'query', 'Query.units')?.message).toBe(
    "Query.units needs scope read; this platform client's token carries no scope",
  );
  expect(scopeRefusal(platform('read'), 'query', 'Query.units')).toBeUndefined();
});
