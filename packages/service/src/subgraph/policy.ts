import { inScope, Role, scopeRefusal, type Identity, type OperationKind } from '@firegov/auth';
import { AppError } from '@firegov/kit';

/**
 * The authorization policy of a subgraph: one entry per root field (`Query.units`,
 * `Mutation.registerUnit`, `Subscription.alarmEvents`, and `Query._entities` for entity
 * resolution), saying which roles may call it and how the caller's place relates to what it
 * touches. It is the first gate every root field passes (see policy-gate.ts) and the one place a
 * reviewer reads who may call what; the checks where the data is (which records a query returns,
 * whether a record lies in the caller's jurisdiction) stay in the services.
 */
export type PolicyTable = Readonly<Record<string, PolicyEntry>>;

export interface PolicyEntry {
  /** The roles that may call the field; any other role is refused before anything runs. */
  roles: readonly Role[];
  /**
   * How the caller's jurisdiction (or agency, or gateway) bounds the call:
   * - `public`: no token needed. Only for reference data that names no place and no person
   *   (enumerations, standards' tables, rules); `roles` is then informational and empty.
   * - `data`: the service scopes what it reads or writes to the caller, from the records
   *   themselves (a unit's village, a hazard's scope): lists are filtered, a record outside reads
   *   as absent or is refused. The gate checks the role only.
   * - a list of argument relations, all checked at the gate (and the service still scopes data).
   */
  relation: 'public' | 'data' | readonly ArgRelation[];
  /** Why, when the roles or relation are not obvious from the field's name. */
  note?: string;
}

export interface ArgRelation {
  /** The argument, or a path into an input object (`input.jurisdictionCode`). */
  arg: string;
  /**
   * - `within`: the division (or grid) code the argument names, when given, lies within the
   *   caller's jurisdiction; absent, the service uses the caller's own.
   * - `own-agency`: an agency caller may only name its own agency (other roles are not bound).
   * - `own-gateway`: a device gateway caller may only name its own gateway (other roles are not bound).
   */
  relation: 'within' | 'own-agency' | 'own-gateway';
}

const ROLES: readonly Role[] = Role.values;

/** Every role but the listed ones: for tables that say "everyone except …". */
export const rolesExcept = (...excluded: Role[]): Role[] => ROLES.filter((r) => !excluded.includes(r));

/** Checks a table's shape once, when a service defines it: unknown roles or relations are a bug. */
export function definePolicy<T extends PolicyTable>(table: T): T {
  for (const [key, entry] of Object.entries(table)) {
    if (!/^(Query|Mutation|Subscription)\.[_A-Za-z][_0-9A-Za-z]*$/.test(key)) {
      throw new Error(`policy key "${key}" must be Query.<field>, Mutation.<field> or Subscription.<field>`);
    }
    for (const role of entry.roles) if (!ROLES.includes(role)) throw new Error(`policy ${key}: unknown role "${role}"`);
    if (entry.relation === 'public' && entry.roles.length > 0) {
      throw new Error(`policy ${key}: a public field lists no roles (anyone may call it)`);
    }
    if (entry.relation !== 'public' && entry.roles.length === 0) throw new Error(`policy ${key}: no role may call it`);
  }
  return table;
}

/** The value at `path` (`input.jurisdictionCode`) in the field's coerced arguments. */
function argAt(args: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = args;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const given = (value: unknown): unknown[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];

// Claims a token may carry beyond the role and jurisdiction; read loosely so a claim added later
// (a gateway id) needs no change here.
const claim = (identity: Identity, name: 'agencyId' | 'gatewayId'): unknown => (identity as Record<string, unknown>)[name];

function relationHolds(identity: Identity, relation: ArgRelation['relation'], value: unknown): string | undefined {
  if (relation === 'within') {
    return typeof value === 'string' && inScope(identity, value)
      ? undefined
      : `is outside your jurisdiction ${identity.jurisdiction}`;
  }
  if (relation === 'own-agency') {
    if (identity.role !== 'agency') return undefined;
    return value === claim(identity, 'agencyId') ? undefined : 'is not your agency';
  }
  if (identity.role !== 'device_gateway') return undefined;
  return value === claim(identity, 'gatewayId') ? undefined : 'is not your gateway';
}

const KIND_OF_ROOT: Readonly<Record<string, OperationKind>> = {
  Query: 'query',
  Mutation: 'mutation',
  Subscription: 'subscription',
};

/**
 * The gate's verdict on one root field: undefined when the caller may go on, else the typed error
 * to answer (UNAUTHENTICATED without an identity, FORBIDDEN naming the scope a platform client's
 * token lacks, the field and role, or the argument whose relation fails). A field without an entry
 * is refused: deny by default.
 */
export function policyVerdict(
  table: PolicyTable,
  field: string,
  identity: Identity | undefined,
  args: Readonly<Record<string, unknown>>,
): AppError | undefined {
  const entry = table[field];
  if (!entry) {
    return new AppError('FORBIDDEN', `${field} has no authorization policy entry; refused until it has one`, {
      details: [{ path: '$', reason: `${field} is missing from the policy table` }],
    });
  }
  if (entry.relation === 'public') return undefined;
  if (!identity) return new AppError('UNAUTHENTICATED', `${field} requires a valid bearer token`);
  // A platform client registered read-only holds a role that may write; its token's scope is what
  // keeps it to reading (`write` for mutations, `read` for queries and subscriptions). People are
  // not bound by scopes.
  const kind = KIND_OF_ROOT[field.slice(0, field.indexOf('.'))];
  const unscoped = kind === undefined ? undefined : scopeRefusal(identity, kind, field);
  if (unscoped) return unscoped;
  if (!entry.roles.includes(identity.role)) {
    return new AppError('FORBIDDEN', `role ${identity.role} may not call ${field}`, {
      details: [{ path: '$', reason: `${field} is for ${entry.roles.join(', ')}` }],
    });
  }
  if (entry.relation === 'data') return undefined;
  for (const { arg, relation } of entry.relation) {
    for (const value of given(argAt(args, arg))) {
      const reason = relationHolds(identity, relation, value);
      if (reason) {
        return new AppError('FORBIDDEN', `${field}: argument ${arg} ${reason}`, {
          details: [{ path: `$.${arg}`, reason }],
        });
      }
    }
  }
  return undefined;
}

/** A table's entries as documentation rows, in the table's order. */
export function policyRows(table: PolicyTable): Array<{ field: string; roles: string; relation: string; note: string }> {
  return Object.entries(table).map(([field, e]) => ({
    field,
    roles: e.relation === 'public' ? 'anyone (no token)' : e.roles.join(', '),
    relation: typeof e.relation === 'string' ? e.relation : e.relation.map((r) => `${r.arg} ${r.relation}`).join('; '),
    note: e.note ?? '',
  }));
}
