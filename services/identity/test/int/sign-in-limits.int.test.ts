import { countyAdmin, startHarness, type Harness } from '../harness.ts';

// Online guessing is bounded: /token and the sign-in form count attempts in Redis per client
// address and per name tried (3 a minute per name, 6 per address here), a refused attempt is 429
// with Retry-After; an unknown username costs what a wrong password costs. Behind a trusted TLS
// proxy the provider reads X-Forwarded-Proto too.

let h: Harness;
let clientId: string;
let secret: string;

beforeAll(async () => {
  h = await startHarness('identity-limits', { signInRateLimit: { perName: 3, perAddress: 6 }, trustProxy: true });
  const issued = await h.services.clients.register(countyAdmin, {
    name: '限流测试',
    role: 'county_admin',
    jurisdiction: '500230000000',
    access: 'read',
  });
  clientId = issued.client._id;
  secret = issued.clientSecret;
}, 60_000);
afterAll(() => h?.stop());
// The limits count in fixed one-minute windows: a test that straddled a window's end would start counting again.
beforeEach(async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3000) await new Promise((r) => setTimeout(r, left + 50));
});

const basic = (id: string, s: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64')}`;
/** client_credentials from a given client address (the harness trusts X-Forwarded-For). */
const tokenFrom = async (address: string, id: string, s: string) => {
  const res = await fetch(`${h.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(id, s), 'x-forwarded-for': address },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read' }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
};

test('a client id is allowed 3 secret checks a minute from any addresses; then 429 with Retry-After, even with the right secret', async () => {
  for (const address of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) {
    expect((await tokenFrom(address, clientId, 'fgs_wrong')).body.error).toBe('invalid_client');
  }
  const refused = await tokenFrom('10.1.0.4', clientId, secret);
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  expect(String((refused.body.error as { message: string }).message)).toContain('per client id');
});

test('an address is allowed 6 token requests a minute, whatever client ids it tries', async () => {
  for (let i = 0; i < 6; i++) expect((await tokenFrom('10.2.0.1', `pc_guess_${i}`, 'fgs_x')).status).toBe(401);
  const refused = await tokenFrom('10.2.0.1', 'pc_guess_7', 'fgs_x');
  expect(refused.status).toBe(429);
  expect(String((refused.body.error as { message: string }).message)).toContain('per client address');
  // Another address is not held back by it.
  expect((await tokenFrom('10.2.0.2', 'pc_guess_8', 'fgs_x')).status).toBe(401);
});

/** A sign-in interaction started through /login, with its cookies; `address` is the person's. */
async function startSignIn(address: string) {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const headers = () => ({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': address });
  let url = `${h.issuer}/login`;
  for (let i = 0; i < 5 && !url.includes('/interaction/'); i++) {
    const res = await fetch(url, { redirect: 'manual', headers: headers() });
    keep(res);
    url = new URL(res.headers.get('location')!, h.issuer).toString();
  }
  return async (username: string, password: string) => {
    const started = performance.now();
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      html: await res.text(),
      ms: performance.now() - started,
    };
  };
}

test('a username is allowed 3 attempts a minute; the 4th is the sign-in page, 429, saying when to try again', async () => {
  const a = await startSignIn('10.3.0.1');
  const b = await startSignIn('10.3.0.2');
  expect((await a('grid', 'wrong-password-1')).status).toBe(401);
  expect((await a('grid', 'wrong-password-2')).status).toBe(401);
  expect((await b('grid', 'wrong-password-3')).status).toBe(401);
  const refused = await b('grid', 'demo-password-for-identity-tests');
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.html).toMatch(/too many sign-in attempts; try again in \d+ s/);
  expect(refused.html).toContain('<form');
  // Another person at the same addresses still signs in.
  expect((await a('township', 'demo-password-for-identity-tests')).status).toBe(303);
});

test('an unknown username costs a password check too: its answer takes as long as a wrong password’s', async () => {
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await startSignIn(`10.4.${i}.1`);
    const u = await s(`nobody-${i}`, 'some-password');
    const w = await s('department', `wrong-password-${i}`);
    expect([u.status, w.status]).toEqual([401, 401]);
    expect(u.html).toContain('the username or password is wrong');
    unknown.push(u.ms);
    wrong.push(w.ms);
  }
  // A lookup without scrypt answers in a few ms; with it, in the tens like a wrong password.
  expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
});

test('behind a trusted TLS proxy the provider answers for https: discovery and Secure cookies', async () => {
  const discovery = (await (
    await fetch(`${h.issuer}/.well-known/openid-configuration`, { headers: { 'x-forwarded-proto': 'https' } })
  ).json()) as Record<string, string>;
  expect(discovery.issuer).toBe(h.issuer);
  const auth = (proto?: string) =>
    fetch(`${h.issuer}/login`, { redirect: 'manual', headers: proto ? { 'x-forwarded-proto': proto } : {} }).then((r) =>
      fetch(new URL(r.headers.get('location')!, h.issuer), {
        redirect: 'manual',
        headers: proto ? { 'x-forwarded-proto': proto } : {},
      }),
    );
  const overTls = await auth('https');
  expect(overTls.status).toBe(303);
  const cookies = overTls.headers.getSetCookie();
  expect(cookies.length).toBeGreaterThan(0);
  for (const c of cookies) expect(c.toLowerCase()).toContain('; secure');
  const plain = (await auth()).headers.getSetCookie();
  expect(plain.length).toBeGreaterThan(0);
  for (const c of plain) expect(c.toLowerCase()).not.toContain('; secure');
});
