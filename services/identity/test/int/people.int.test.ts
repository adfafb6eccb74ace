import { SignInError, signInWithPassword } from '@firegov/auth';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CONSOLE_CLIENT_ID, signedInPath } from '../../src/oidc/provider.ts';
import { DEMO_PASSWORD, startHarness, type Harness } from '../harness.ts';

// People sign in with the authorization code flow and PKCE at the provider's own page; refresh
// tokens rotate, revocation and introspection answer for them.

let h: Harness;
beforeAll(async () => {
  h = await startHarness('identity-people');
}, 60_000);
afterAll(() => h?.stop());

const signIn = (username: string, extra: { password?: string; verifierOverride?: string } = {}) =>
  signInWithPassword({
    issuer: h.issuer,
    username,
    password: extra.password ?? DEMO_PASSWORD,
    ...(extra.verifierOverride ? { verifierOverride: extra.verifierOverride } : {}),
  });

const form = async (path: string, params: Record<string, string>) => {
  const res = await fetch(`${h.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, ...params }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
};

test('a demo person signs in with code + PKCE and gets a JWT with their role and jurisdiction', async () => {
  const tokens = await signIn('township');
  expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'read write' });
  expect(tokens.refresh_token).toEqual(expect.any(String));
  expect(tokens.id_token).toEqual(expect.any(String));
  const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), {
    issuer: h.issuer,
    audience: 'firegov',
  });
  expect(protectedHeader.alg).toBe('ES256');
  expect(payload).toMatchObject({
    sub: 'demo-township',
    role: 'township_officer',
    jur: '500230213000',
    name: '青龙乡（演示）',
    client_id: CONSOLE_CLIENT_ID,
    scope: 'read write',
  });
});

test('a wrong PKCE verifier is refused, and so is a wrong password', async () => {
  await expect(signIn('grid', { verifierOverride: 'x'.repeat(43) })).rejects.toMatchObject({
    status: 400,
    body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
  });
  const wrong = signIn('grid', { password: 'not-the-password' });
  await expect(wrong).rejects.toBeInstanceOf(SignInError);
  await expect(wrong).rejects.toThrow('the username or password is wrong');
});

test('an authorization request without PKCE is refused', async () => {
  const url = new URL('/auth', h.issuer);
  url.search = new URLSearchParams({
    client_id: CONSOLE_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${h.issuer}${signedInPath}`,
    scope: 'openid',
  }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '', h.issuer);
  expect(location.searchParams.get('error')).toBe('invalid_request');
  expect(location.searchParams.get('error_description')).toMatch(/requires PKCE/);
});

test('refresh tokens rotate: the new one works, the used one is refused', async () => {
  const first = await signIn('brigade');
  const refreshed = await form('/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.refresh_token).toEqual(expect.any(String));
  expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
  const { payload } = await jwtVerify(String(refreshed.body.access_token), createRemoteJWKSet(new URL(`${h.issuer}/jwks`)), {
    issuer: h.issuer,
    audience: 'firegov',
  });
  expect(payload).toMatchObject({ sub: 'demo-brigade', role: 'fire_brigade', jur: '500230000000' });

  const reused = await form('/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
  expect(reused.status).toBe(400);
  expect(reused.body.error).toBe('invalid_grant');
});

test('introspection says a refresh token is active, then inactive once revoked; the revoked token is refused', async () => {
  const tokens = await signIn('county');
  const active = await form('/token/introspection', { token: tokens.refresh_token! });
  expect(active.status).toBe(200);
  expect(active.body).toMatchObject({
    active: true,
    client_id: CONSOLE_CLIENT_ID,
    sub: 'demo-county',
    scope: 'openid profile read write',
  });

  const revoked = await form('/token/revocation', { token: tokens.refresh_token! });
  expect(revoked.status).toBe(200);
  const inactive = await form('/token/introspection', { token: tokens.refresh_token! });
  expect(inactive.body).toEqual({ active: false });
  const refused = await form('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
  expect(refused.body.error).toBe('invalid_grant');
});

test('a JWT access token is not introspectable: verifiers check it against the JWKS', async () => {
  const tokens = await signIn('department');
  const res = await form('/token/introspection', { token: tokens.access_token });
  expect(res.status).toBe(400);
  expect(res.body.error).toBe('unsupported_token_type');
});

test('the sign-in page works without scripts or a CDN, and /login shows the tokens in the browser flow', async () => {
  const start = await fetch(`${h.issuer}/login`, { redirect: 'manual' });
  expect(start.status).toBe(303);
  const auth = await fetch(new URL(start.headers.get('location')!, h.issuer), { redirect: 'manual' });
  const page = await fetch(new URL(auth.headers.get('location')!, h.issuer), {
    headers: {
      cookie: auth.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
    },
  });
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain('name="password"');
  expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
});
