import {
  findOwnedClient,
  newApiClient,
  ownerCache,
  ownerOfClientId,
  revokeApiClient,
  rotateApiClientSecret,
  usableSecrets,
  verifySecret,
  type ApiClientRecord,
} from '../src/index.ts';

const NOW = new Date('2024-03-10T00:00:00Z');
const counter = (size: number) => Buffer.alloc(size, 0xab);

/** The error `fn` throws, for its code and message. */
function thrown(fn: () => unknown): { code?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message?: string };
  }
  throw new Error('expected a throw');
}

function issued(label = 'main'): { client: ApiClientRecord; clientSecret: string } {
  return newApiClient('gw_1', label, { now: NOW, secretId: 'sk_1', random: counter });
}

describe('newApiClient', () => {
  test('names the owner in the client id and keeps only the hash of the secret', () => {
    const { client, clientSecret } = issued();
    expect(client.clientId).toBe(`gw_1.${'ab'.repeat(6)}`);
    expect(ownerOfClientId(client.clientId)).toBe('gw_1');
    expect(clientSecret).toMatch(/^fgs_[A-Za-z0-9_-]{43}$/);
    expect(client.secrets).toHaveLength(1);
    expect(client.secrets[0]).toMatchObject({ id: 'sk_1', createdAt: NOW.toISOString() });
    expect(JSON.stringify(client)).not.toContain(clientSecret);
    expect(verifySecret(clientSecret, client.secrets[0]?.hash ?? '')).toBe(true);
  });

  test('cuts the label to 100 characters and takes fixed credentials for demo loaders', () => {
    const fixed = { clientId: 'gw_1.demo', clientSecret: 'fgs_demo-secret' };
    const { client, clientSecret } = newApiClient('gw_1', 'x'.repeat(150), { now: NOW, secretId: 's', random: counter, fixed });
    expect(client.label).toHaveLength(100);
    expect(client.clientId).toBe('gw_1.demo');
    expect(clientSecret).toBe('fgs_demo-secret');
  });
});

describe('ownerOfClientId', () => {
  test.each([
    ['ag_1.abc', 'ag_1'],
    ['.abc', null],
    ['nodot', null],
  ])('%s → %p', (clientId, owner) => {
    expect(ownerOfClientId(clientId)).toBe(owner);
  });
});

describe('rotateApiClientSecret and revokeApiClient', () => {
  test('rotation adds the new secret and ends the old one after the overlap; other clients are untouched', () => {
    const a = issued('a').client;
    const b = { ...issued('b').client, clientId: 'gw_1.other' };
    const next = rotateApiClientSecret([a, b], a.clientId, { secret: 'fgs_new', secretId: 'sk_2', now: NOW, overlapHours: 2 });
    expect(next[1]).toBe(b);
    expect(next[0]?.secrets.map((s) => [s.id, s.notAfter])).toEqual([
      ['sk_1', '2024-03-10T02:00:00.000Z'],
      ['sk_2', undefined],
    ]);
    expect(verifySecret('fgs_new', next[0]?.secrets[1]?.hash ?? '')).toBe(true);
    expect(a.secrets).toHaveLength(1); // input untouched
  });

  test('rotation refuses an unknown client, a revoked client and a bad overlap', () => {
    const { client } = issued();
    const o = { secret: 'fgs_new', secretId: 'sk_2', now: NOW, overlapHours: 2 };
    expect(thrown(() => rotateApiClientSecret([client], 'gw_1.nope', o))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'client gw_1.nope not found',
    });
    const revoked = revokeApiClient([client], client.clientId, NOW);
    expect(thrown(() => rotateApiClientSecret(revoked, client.clientId, o))).toMatchObject({ code: 'CONFLICT' });
    expect(thrown(() => rotateApiClientSecret([client], client.clientId, { ...o, overlapHours: 0 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  test('revocation stamps the client and every secret now', () => {
    const { client } = issued();
    const [revoked] = revokeApiClient([client], client.clientId, NOW);
    expect(revoked?.revokedAt).toBe(NOW.toISOString());
    expect(usableSecrets(revoked?.secrets ?? [], NOW)).toEqual([]);
    expect(thrown(() => revokeApiClient([client], 'gw_1.nope', NOW))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('findOwnedClient', () => {
  test('reads the owner the id names and finds the client in it', async () => {
    const { client } = issued();
    const asked: string[] = [];
    const load = async (id: string) => {
      asked.push(id);
      return id === 'gw_1' ? { _id: 'gw_1', clients: [client] } : null;
    };
    await expect(findOwnedClient(client.clientId, load)).resolves.toEqual({ owner: { _id: 'gw_1', clients: [client] }, client });
    await expect(findOwnedClient('gw_1.nope', load)).resolves.toBeNull();
    await expect(findOwnedClient('gw_2.abc', load)).resolves.toBeNull();
    await expect(findOwnedClient('nodot', load)).resolves.toBeNull();
    expect(asked).toEqual(['gw_1', 'gw_1', 'gw_2']);
  });
});

describe('ownerCache', () => {
  test('serves a read for ttlMs, absent owners included, and forgets on demand', async () => {
    let reads = 0;
    const cache = ownerCache(async (id) => (reads++, id === 'known' ? { id } : null), { ttlMs: 60_000 });
    expect(await cache.get('known')).toEqual({ id: 'known' });
    expect(await cache.get('known')).toEqual({ id: 'known' });
    expect(await cache.get('unknown')).toBeNull();
    expect(await cache.get('unknown')).toBeNull();
    expect(reads).toBe(2);
    cache.forget('known');
    await cache.get('known');
    expect(reads).toBe(3);
  });

  test('reads again after ttlMs and drops the oldest entry beyond maxEntries', async () => {
    const reads: string[] = [];
    const expiring = ownerCache(async (id) => (reads.push(id), id), { ttlMs: 0 });
    await expiring.get('a');
    await expiring.get('a');
    expect(reads).toEqual(['a', 'a']);

    reads.length = 0;
    const bounded = ownerCache(async (id) => (reads.push(id), id), { ttlMs: 60_000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'b', 'a']) await bounded.get(id);
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });
});
