import type { Identity, Role } from '@firegov/auth';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { rolesExcept, type PolicyTable } from './policy.ts';

// The authorization matrix: from a service's schema and policy table, the calls that show each
// entry holds — a caller of every allowed role gets past the gate, a caller of every other role is
// refused, no token is refused, and an argument relation refuses a caller from elsewhere. Generated,
// so a new entry is tested without writing a test.

/** Where the matrix callers sit: one county, township A of it with a village, township B beside it. */
export const MATRIX_PLACES = {
  county: '500230000000',
  township: '500230213000',
  village: '500230213201',
  otherCounty: '500231000000',
  otherTownship: '500230214000',
  otherVillage: '500230214201',
} as const;

const P = MATRIX_PLACES;
const HOME: Record<Role, string> = {
  county_admin: P.county,
  township_officer: P.township,
  village_grid_manager: P.village,
  department_officer: P.county,
  fire_brigade: P.county,
  agency: P.county,
  device_gateway: P.county,
  learning_platform: P.county,
};
// A place of the same level outside the home: the caller "of another township/county".
const ELSEWHERE: Record<string, string> = {
  [P.county]: P.otherCounty,
  [P.township]: P.otherTownship,
  [P.village]: P.otherVillage,
};

export const MATRIX_AGENCY_ID = 'ag_policy_matrix';
export const MATRIX_GATEWAY_ID = 'gw_policy_matrix';
const OWN = { within: P.village, 'own-agency': MATRIX_AGENCY_ID, 'own-gateway': MATRIX_GATEWAY_ID } as const;

/** The matrix's caller of a role, at its home place or (`elsewhere`) at the same level outside it. */
export function matrixCaller(role: Role, elsewhere = false): Identity {
  const home = HOME[role];
  const identity: Identity = {
    subject: `matrix-${role}${elsewhere ? '-elsewhere' : ''}`,
    role,
    jurisdiction: elsewhere ? (ELSEWHERE[home] ?? P.otherCounty) : home,
  };
  if (role === 'agency') identity.agencyId = MATRIX_AGENCY_ID;
  return identity;
}

/**
 * The matrix's platform client (client credentials) of a role, at its home place: its subject is its
 * client id, as in the identity service's tokens, and its token carries `scopes`.
 */
export function matrixPlatformClient(role: Role, scopes: readonly string[]): Identity {
  const id = `pc_matrix_${role}_${scopes.length > 0 ? scopes.join('_') : 'noscope'}`;
  return { ...matrixCaller(role), subject: id, client: { id, scopes: [...scopes] } };
}

export type Expectation = 'passes the gate' | 'FORBIDDEN' | 'UNAUTHENTICATED';

export interface PolicyCase {
  /** `Query.units as township_officer: passes the gate` */
  title: string;
  field: string;
  kind: 'query' | 'mutation' | 'subscription';
  document: string;
  variables: Record<string, unknown>;
  caller: Identity | undefined;
  expect: Expectation;
}

/** A value the argument's type accepts, for arguments the schema requires (and relation arguments). */
function placeholder(type: GraphQLInputType, name: string, depth = 0): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [placeholder(t.ofType, name, depth)];
  if (isEnumType(t)) return t.getValues()[0]?.value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    if (depth > 4) return out;
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = placeholder(f.type, f.name, depth + 1);
    }
    return out;
  }
  if (isScalarType(t)) {
    if (t.name === 'Int') return 1;
    if (t.name === 'Float') return 1;
    if (t.name === 'Boolean') return false;
    // Division and grid codes: the matrix's village, inside every home caller's jurisdiction.
    if (/code$/i.test(name) && !/client/i.test(name)) return P.village;
    if (/(date|deadline|from|to|on|at)$/i.test(name)) return '2026-06-01';
    return `matrix-${name}`;
  }
  return null;
}

/** A selection that any result satisfies: typed errors' code, the type name otherwise. */
function selection(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isUnionType(named)) {
    const err = named.getTypes().some((m) => m.name === 'MutationError') ? ' ... on MutationError { code message }' : '';
    return ` { __typename${err} }`;
  }
  if (isObjectType(named) || isInterfaceType(named)) return ' { __typename }';
  return '';
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function hasAt(target: Record<string, unknown>, path: string): boolean {
  let node: unknown = target;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

function operation(kind: PolicyCase['kind'], field: GraphQLField<unknown, unknown>, values: Record<string, unknown>) {
  const args = field.args;
  const used = args.filter((a) => values[a.name] !== undefined);
  const defs = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  const document = `${kind} Matrix${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection(field.type)} }`;
  return { document, variables: Object.fromEntries(used.map((a) => [a.name, values[a.name]])) };
}

/** Every case of the table's entries against the schema (entries naming no field are the coverage test's). */
export function policyCases(schema: GraphQLSchema, table: PolicyTable): PolicyCase[] {
  const roots = { Query: schema.getQueryType(), Mutation: schema.getMutationType(), Subscription: schema.getSubscriptionType() };
  const cases: PolicyCase[] = [];
  for (const [key, entry] of Object.entries(table)) {
    const [typeName, fieldName] = key.split('.') as [keyof typeof roots, string];
    // `_entities` is reached with representations of the entities a caller was given; the matrix
    // checks its gate with an empty list.
    const field = roots[typeName]?.getFields()[fieldName];
    if (!field) continue;
    const kind = typeName.toLowerCase() as PolicyCase['kind'];
    const values: Record<string, unknown> = {};
    for (const a of field.args) {
      if (isNonNullType(a.type) && a.defaultValue === undefined) values[a.name] = placeholder(a.type, a.name);
    }
    if (fieldName === '_entities') values.representations = [];
    // A relation argument the call gives names the home place (or the caller's own agency), so an
    // allowed caller is not refused for the placeholder.
    if (typeof entry.relation !== 'string') {
      for (const rel of entry.relation) {
        if (hasAt(values, rel.arg)) setAt(values, rel.arg, OWN[rel.relation]);
      }
    }
    const base = operation(kind, field, values);
    const add = (caller: Identity | undefined, expect: Expectation, op = base, what = caller?.role ?? 'no token') =>
      cases.push({ title: `${key} as ${what}: ${expect}`, field: key, kind, ...op, caller, expect });

    if (entry.relation === 'public') {
      add(undefined, 'passes the gate');
      continue;
    }
    add(undefined, 'UNAUTHENTICATED');
    for (const role of entry.roles) add(matrixCaller(role), 'passes the gate');
    for (const role of rolesExcept(...entry.roles)) add(matrixCaller(role), 'FORBIDDEN');
    // A platform client of an allowed role is held to its token's scope: `write` for a mutation,
    // `read` (or `write`) for a query or subscription.
    const [first] = entry.roles;
    if (first !== undefined) {
      const pc = (scopes: string[]) => matrixPlatformClient(first, scopes);
      const as = (scopes: string[]) => `${first} platform client with scope "${scopes.join(' ')}"`;
      if (kind === 'mutation') {
        add(pc(['read']), 'FORBIDDEN', base, as(['read']));
        add(pc(['read', 'write']), 'passes the gate', base, as(['read', 'write']));
      } else {
        add(pc([]), 'FORBIDDEN', base, as([]));
        add(pc(['read']), 'passes the gate', base, as(['read']));
      }
    }
    if (entry.relation === 'data') continue;
    for (const rel of entry.relation) {
      const role = entry.roles.find((r) =>
        rel.relation === 'within' ? true : rel.relation === 'own-agency' ? r === 'agency' : r === 'device_gateway',
      );
      if (!role) continue;
      const inside = structuredClone(values);
      if (rel.relation === 'within') {
        setAt(inside, rel.arg, P.village);
        add(matrixCaller(role, true), 'FORBIDDEN', operation(kind, field, inside), `${role} of elsewhere naming ${rel.arg}`);
      } else {
        setAt(inside, rel.arg, 'someone-else');
        add(matrixCaller(role), 'FORBIDDEN', operation(kind, field, inside), `${role} naming another's ${rel.arg}`);
      }
    }
  }
  return cases;
}

export interface CaseOutcome {
  /** The refusal's code (gate or service), or undefined when the call went through. */
  code: string | undefined;
  message: string | undefined;
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** The code a call's answer carries: the first top-level error's, else a typed mutation error's. */
function outcomeOf(answer: GraphQLAnswer, fieldName: string): CaseOutcome {
  const err = answer.errors?.[0];
  if (err) return { code: err.extensions?.code, message: err.message };
  const value = answer.data?.[fieldName] as { __typename?: string; code?: string; message?: string } | undefined;
  if (value && value.__typename === 'MutationError') return { code: value.code, message: value.message };
  return { code: undefined, message: undefined };
}

/** Sends one case to a subgraph over HTTP (subscriptions as server-sent events, read for a moment). */
export async function runPolicyCase(
  c: PolicyCase,
  opts: { url: string; token: (identity: Identity) => Promise<string> },
): Promise<CaseOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.caller) headers.authorization = `Bearer ${await opts.token(c.caller)}`;
  const fieldName = c.field.split('.')[1]!;
  const body = JSON.stringify({ query: c.document, variables: c.variables });
  if (c.kind !== 'subscription') {
    const res = await fetch(`${opts.url}/graphql`, { method: 'POST', headers, body });
    return outcomeOf((await res.json()) as GraphQLAnswer, fieldName);
  }
  // A subscription that passes stays open with nothing to say; one refused answers at once.
  const abort = new AbortController();
  const res = await fetch(`${opts.url}/graphql`, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream' },
    body,
    signal: abort.signal,
  });
  const reader = res.body!.getReader();
  const timer = setTimeout(() => abort.abort(), 750);
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      if (/^data: .+$/m.test(text)) break;
    }
  } catch {
    // aborted: nothing was said in the window, so the gate let the subscription through
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  const data = /^data: (.+)$/m.exec(text)?.[1];
  return data ? outcomeOf(JSON.parse(data) as GraphQLAnswer, fieldName) : { code: undefined, message: undefined };
}

/** What the gate made of a call: its refusal, or that the caller got past it (any other answer). */
export function verdictOf(o: CaseOutcome): Expectation {
  return o.code === 'FORBIDDEN' || o.code === 'UNAUTHENTICATED' ? o.code : 'passes the gate';
}
