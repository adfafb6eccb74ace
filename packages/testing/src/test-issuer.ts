import {
  ACCESS_TOKEN_TYPE,
  DEFAULT_AUDIENCE,
  remoteKeys,
  signToken,
  type Identity,
  type RemoteKeysOptions,
  type SignTokenOptions,
  type VerifyTokenOptions,
} from '@firegov/auth';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';

// Tests stand in for the identity service with a real issuer: a real ES256 key pair made for this
// run and a real JWKS served over HTTP on a free port, so every process under test verifies tokens
// exactly as it does in production (remote JWKS, kid lookup, cache and refetch) and holds no key.

export interface TestTokenOptions {
  /** Sign with this key (default: the current one); it need not be published, to forge tokens. */
  kid?: string;
  expiresIn?: string | number;
  audience?: string;
  issuer?: string;
  clientId?: string;
  scope?: string;
}

export interface TestIssuer {
  /** `iss` of its tokens: `http://127.0.0.1:<port>`. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience: string;
  /** AUTH_ISSUER, AUTH_JWKS_URL, AUTH_AUDIENCE and GATEWAY_FORWARD_KEYS for a process under test. */
  readonly env: { AUTH_ISSUER: string; AUTH_JWKS_URL: string; AUTH_AUDIENCE: string; GATEWAY_FORWARD_KEYS: string };
  /** How an app built in the test process verifies this issuer's tokens (over HTTP, like a process). */
  verification(o?: RemoteKeysOptions): VerifyTokenOptions;
  /** A token in the identity service's layout (ES256, kid, iss, aud, client_id, scope, jti, exp). */
  signToken(identity: Identity, o?: TestTokenOptions): Promise<string>;
  /**
   * Exactly `payload`, signed ES256 by a key of the issuer (default the current one), for tokens
   * signToken would refuse to make; `typ` is `at+jwt` unless given (`JWT`: an ID token's).
   */
  signClaims(payload: JWTPayload, o?: { kid?: string; typ?: string }): Promise<string>;
  /** A new key pair and its kid: published unless `publish` is false, signing from now on when `current`. */
  addKey(o?: { publish?: boolean; current?: boolean }): Promise<string>;
  /** Takes a key out of (or back into) the JWKS; its tokens still sign with it. */
  unpublish(kid: string): void;
  publish(kid: string): void;
  /** The kid new tokens are signed with. */
  readonly currentKid: string;
  /** While false the JWKS answers 503, as an identity service that is down behind a proxy. */
  setAvailable(available: boolean): void;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  close(): Promise<void>;
}

interface TestKey {
  privateKey: KeyLike;
  publicJwk: JWK;
  published: boolean;
}

/**
 * The gateway-forward key of tests: the gateway fixtures prove with it and the test issuer's
 * verification accepts it (@firegov/auth trusted-documents.ts). Not a signing key.
 */
export const TEST_GATEWAY_FORWARD_KEY = 'test-gateway-forward-key-0123456789abcdef';

const DEFAULT_CLIENT_ID = 'firegov-test';
const DEFAULT_SCOPE = 'firegov';

/** A test issuer of its own on 127.0.0.1 and a free port, with one published ES256 key; close() it. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const keys = new Map<string, TestKey>();
  let currentKid = '';
  let available = true;
  let fetches = 0;

  const server: Server = createServer((req, res) => {
    // Each fetch on its own connection, so the issuer never keeps a test process alive.
    res.setHeader('connection', 'close');
    if (req.method !== 'GET' || req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    if (!available) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    const published = [...keys.values()].filter((k) => k.published).map((k) => k.publicJwk);
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A shared issuer lives as long as the test file; it must not hold the process open after it.
  server.unref();
  const { port } = server.address() as { port: number };
  const issuer = `http://127.0.0.1:${port}`;
  const jwksUrl = `${issuer}/jwks`;

  async function addKey(o: { publish?: boolean; current?: boolean } = {}): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    keys.set(kid, { privateKey, publicJwk, published: o.publish ?? true });
    if (o.current) currentKid = kid;
    return kid;
  }
  const keyOf = (kid: string): TestKey => {
    const key = keys.get(kid);
    if (!key) throw new Error(`the test issuer has no key ${kid}`);
    return key;
  };

  await addKey({ current: true });

  return {
    issuer,
    jwksUrl,
    audience: DEFAULT_AUDIENCE,
    env: {
      AUTH_ISSUER: issuer,
      AUTH_JWKS_URL: jwksUrl,
      AUTH_AUDIENCE: DEFAULT_AUDIENCE,
      GATEWAY_FORWARD_KEYS: TEST_GATEWAY_FORWARD_KEY,
    },
    verification: (o) => ({
      keys: remoteKeys(jwksUrl, o),
      issuer,
      audience: DEFAULT_AUDIENCE,
      gatewayForwardKeys: [TEST_GATEWAY_FORWARD_KEY],
    }),
    signToken(identity, o = {}) {
      const kid = o.kid ?? currentKid;
      const opts: SignTokenOptions = {
        privateKey: keyOf(kid).privateKey,
        kid,
        issuer: o.issuer ?? issuer,
        audience: o.audience ?? DEFAULT_AUDIENCE,
        clientId: o.clientId ?? DEFAULT_CLIENT_ID,
        scope: o.scope ?? DEFAULT_SCOPE,
        ...(o.expiresIn !== undefined ? { expiresIn: o.expiresIn } : {}),
      };
      return signToken(identity, opts);
    },
    signClaims(payload, o = {}) {
      const kid = o.kid ?? currentKid;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid, typ: o.typ ?? ACCESS_TOKEN_TYPE })
        .sign(keyOf(kid).privateKey);
    },
    addKey,
    unpublish: (kid) => {
      keyOf(kid).published = false;
    },
    publish: (kid) => {
      keyOf(kid).published = true;
    },
    get currentKid() {
      return currentKid;
    },
    setAvailable: (value) => {
      available = value;
    },
    get jwksFetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

let shared: Promise<TestIssuer> | undefined;

/**
 * The test issuer of this test file (jest gives each file its own module registry), started on
 * first use and never closed: its server does not hold the process open. Harnesses sign and verify
 * with it so tests keep calling `token(identity)` as before.
 */
export function testIssuer(): Promise<TestIssuer> {
  shared ??= startTestIssuer().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

/** A token of the shared test issuer. */
export const signTestToken = async (identity: Identity, o?: TestTokenOptions): Promise<string> =>
  (await testIssuer()).signToken(identity, o);

/** How an app in the test process verifies the shared test issuer's tokens. */
export const testTokenVerification = async (o?: RemoteKeysOptions): Promise<VerifyTokenOptions> =>
  (await testIssuer()).verification(o);

/** AUTH_* for a process under test, pointing at the shared test issuer. */
export const testAuthEnv = async (): Promise<TestIssuer['env']> => (await testIssuer()).env;
