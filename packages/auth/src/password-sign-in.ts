import { createHash, randomBytes } from 'node:crypto';

// A person's sign-in at the identity service, driven over HTTP the way a browser would: the
// authorization code flow with PKCE (RFC 7636) through the provider's own login page. For
// development tools (`npm run token`) and tests; a console does the same in a browser.

/** The public client people sign in with: the console, and `npm run token` driving the same flow. */
export const CONSOLE_CLIENT_ID = 'firegov-console';
/** The identity service's page the console client's codes land on (its redirect URI, under the issuer). */
export const SIGNED_IN_PATH = '/signed-in';

export interface PasswordSignInOptions {
  /** The identity service's issuer, e.g. http://127.0.0.1:4006. */
  issuer: string;
  /** A public client registered for the code flow; by default the console. */
  clientId?: string;
  /** One of the client's redirect URIs (never fetched, only read from the redirect); by default the console's. */
  redirectUri?: string;
  username: string;
  password: string;
  scope?: string;
  /** Sends this verifier instead of the right one, for tests that check PKCE is enforced. */
  verifierOverride?: string;
}

export interface SignInTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** What the token endpoint answered when it refused (error, error_description), with its status. */
export class SignInError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(message: string, status: number, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SignInError';
    this.status = status;
    this.body = body;
  }
}

const b64url = (b: Buffer) => b.toString('base64url');

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

/** Signs a person in with username and password and returns the token endpoint's answer. */
export async function signInWithPassword(o: PasswordSignInOptions): Promise<SignInTokens> {
  const clientId = o.clientId ?? CONSOLE_CLIENT_ID;
  const redirectUri = o.redirectUri ?? `${o.issuer}${SIGNED_IN_PATH}`;
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const step = async (url: string, init: RequestInit = {}): Promise<URL> => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie: cookieHeader() } });
    remember(res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location) {
      const text = await res.text();
      const reason = /role="alert">([^<]*)</.exec(text)?.[1] ?? `${res.status} at ${new URL(url).pathname}`;
      throw new SignInError(`sign-in refused: ${reason}`, res.status);
    }
    return new URL(location, url);
  };

  const { verifier, challenge } = pkcePair();
  const state = b64url(randomBytes(16));
  const auth = new URL('/auth', o.issuer);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: o.scope ?? 'openid profile offline_access read write',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();

  // /auth → the login page → (sign in) → back to /auth/<uid> → the redirect URI with the code.
  const interaction = await step(auth.toString());
  const resume = await step(new URL(`${interaction.pathname}/login`, o.issuer).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: o.username, password: o.password }),
  });
  const back = await step(resume.toString());
  if (back.searchParams.get('error')) {
    throw new SignInError(
      `sign-in refused: ${back.searchParams.get('error_description') ?? back.searchParams.get('error')}`,
      400,
    );
  }
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) throw new SignInError('the provider sent no code for this sign-in', 400);

  const res = await fetch(new URL('/token', o.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      code_verifier: o.verifierOverride ?? verifier,
      redirect_uri: redirectUri,
    }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new SignInError(`token refused: ${String(body.error_description ?? body.error)}`, res.status, body);
  return body as unknown as SignInTokens;
}
