import { signInWithPassword } from '@firegov/auth';
import type { UserIdentity } from './scenarios/types.ts';

// Users' tokens for a load run when TOKENS is not given, got the way a county platform gets them.
// Signed in as the demo county administrator, the harness keeps one platform client per simulated
// user ("load-test <role> <jurisdiction> #n": registered on the first run, its secret rotated on
// later ones since a secret is shown only once) and asks each for a token with client credentials.
// Each user is then a caller of its own, so the gateway's per-caller rate limit applies per user as
// it would in the field, and the harness itself holds no key that can sign a token.

export interface PlatformClientTokenOptions {
  /** The gateway's origin: the identity subgraph's mutations go through it like any county platform's. */
  gatewayUrl: string;
  /** The identity service (its issuer URL): sign-in and the token endpoint. */
  issuer: string;
  /** The demo county administrator's password (derived from the development seed, as npm start does). */
  adminPassword: string;
  who: UserIdentity;
  users: number;
}

interface ClientNode {
  id: string;
  name: string;
  status: string;
}

const CLIENTS = `query LoadClients($after: String) {
  platformClients(first: 100, after: $after) { nodes { id name status } pageInfo { hasNextPage endCursor } }
}`;
const REGISTER = `mutation LoadRegister($input: RegisterPlatformClientInput!) { registerPlatformClient(input: $input) {
  __typename ... on MutationRegisterPlatformClientSuccess { data { clientSecret client { id } } } ... on MutationError { code message }
} }`;
const ROTATE = `mutation LoadRotate($id: ID!) { rotatePlatformClientSecret(id: $id) {
  __typename ... on MutationRotatePlatformClientSecretSuccess { data { clientSecret client { id } } } ... on MutationError { code message }
} }`;

async function graphql<T>(gatewayUrl: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors?.length) {
    throw new Error(`identity: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`}`);
  }
  return body.data;
}

async function clientToken(issuer: string, clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read write' }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`identity refused load client ${clientId} a token: ${res.status} ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}

/** One token per simulated user, each from a platform client of the user's role and jurisdiction. */
export async function platformClientTokens(o: PlatformClientTokenOptions): Promise<string[]> {
  const admin = (
    await signInWithPassword({
      issuer: o.issuer,
      username: 'county',
      password: o.adminPassword,
    })
  ).access_token;
  const existing = new Map<string, string>();
  let after: string | null = null;
  do {
    const page: { platformClients: { nodes: ClientNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await graphql(o.gatewayUrl, admin, CLIENTS, { after });
    for (const c of page.platformClients.nodes) if (c.status === 'active') existing.set(c.name, c.id);
    after = page.platformClients.pageInfo.hasNextPage ? page.platformClients.pageInfo.endCursor : null;
  } while (after);

  type Issued = { __typename: string; data?: { clientSecret: string; client: { id: string } }; code?: string; message?: string };
  async function userToken(i: number): Promise<string> {
    const name = `load-test ${o.who.role} ${o.who.jurisdiction} #${i}`;
    const id = existing.get(name);
    const issued: Issued = id
      ? (await graphql<{ rotatePlatformClientSecret: Issued }>(o.gatewayUrl, admin, ROTATE, { id })).rotatePlatformClientSecret
      : (
          await graphql<{ registerPlatformClient: Issued }>(o.gatewayUrl, admin, REGISTER, {
            input: { name, role: o.who.role, jurisdiction: o.who.jurisdiction, access: 'write' },
          })
        ).registerPlatformClient;
    if (!issued.data) throw new Error(`identity: ${name}: ${issued.code ?? issued.__typename} ${issued.message ?? ''}`);
    return clientToken(o.issuer, issued.data.client.id, issued.data.clientSecret);
  }
  // A rotation answers only once the second of its cutoff is over (the old secret's tokens end with
  // it), so rotations run ten at a time rather than one after another.
  const tokens: string[] = [];
  for (let first = 1; first <= o.users; first += 10) {
    const batch = Array.from({ length: Math.min(10, o.users - first + 1) }, (_, k) => userToken(first + k));
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}
