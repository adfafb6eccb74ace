import {
  DomainError,
  divisionCodeSchema,
  divisionScope,
  idSchema,
  invalidTransition,
  isWithinDivision,
  textField,
  typeError,
} from '@firegov/contracts';
import { z } from 'zod';

// Pure rules of platform clients (平台客户端): county platforms and other machine callers that
// get tokens with OAuth client credentials. No I/O here.

/** The roles of people, who sign in (users.ts), and of the county's own platforms. */
export const PERSON_ROLES = [
  'county_admin',
  'township_officer',
  'village_grid_manager',
  'department_officer',
  'fire_brigade',
] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/**
 * The roles a platform client may act as: the county's own organisation, and the national
 * learning platform (全民消防学习云平台), whose xAPI statements reach training with a token of its
 * own and which has no credentials flow of its own. Agencies and device gateways keep theirs
 * (assessment's and sensors' client credentials), scoped to their own records there.
 */
export const CLIENT_ROLES = [...PERSON_ROLES, 'learning_platform'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];

/** `read` clients query; `write` clients may also change data (their tokens carry both scopes). */
export const CLIENT_ACCESS = ['read', 'write'] as const;
export type ClientAccess = (typeof CLIENT_ACCESS)[number];

export const registerClientInput = z.strictObject(
  {
    name: textField(1, 100),
    role: z.enum(CLIENT_ROLES, { error: `must be one of ${CLIENT_ROLES.join(', ')}` }),
    jurisdiction: divisionCodeSchema,
    access: z.enum(CLIENT_ACCESS, { error: 'must be read or write' }),
    /** Its tokens then run only its registered documents (the gateway refuses any other). */
    trustedDocumentsOnly: z
      .boolean({ error: typeError('a boolean') })
      .nullish()
      .transform((v) => v ?? false),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type RegisterClientInput = z.output<typeof registerClientInput>;

export const clientIdInput = z.strictObject({ id: idSchema }, { error: typeError('an object', { namesUnknownKeys: true }) });

export type ClientStatus = 'active' | 'revoked';

/** A document a client limited to trusted documents may run (documents.ts holds the rules). */
export interface TrustedDocument {
  /** sha256 of the document's text, lower-case hex: what the client sends. */
  hash: string;
  document: string;
  registeredAt: string;
  registeredBy: string;
}

export interface PlatformClient {
  /** The OAuth client_id. */
  _id: string;
  version: number;
  name: string;
  role: ClientRole;
  jurisdiction: string;
  /** divisionScope(jurisdiction): lists within a county or township are one equality. */
  scope: string[];
  access: ClientAccess;
  /** scrypt hash of the secret; the secret is shown once and never stored. */
  secretHash: string;
  status: ClientStatus;
  createdAt: string;
  createdBy: string;
  secretRotatedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
  /** Synthetic client of the demo county, loaded by npm start. */
  demo: boolean;
  /**
   * Its tokens carry `trusted_documents: true` and the gateway runs only its `documents` for them.
   * Absent on clients registered before the option existed (read as false).
   */
  trustedDocumentsOnly?: boolean;
  /** Its trusted documents; loaded only where needed (lists and the provider leave them out). */
  documents?: TrustedDocument[];
}

/** The OAuth scopes a client's tokens may carry. */
export const scopesOf = (access: ClientAccess): string[] => (access === 'write' ? ['read', 'write'] : ['read']);

/** A new client, inside the administrator's own jurisdiction. */
export function newClient(
  input: RegisterClientInput,
  admin: { jurisdiction: string; subject: string },
  meta: { id: string; now: Date; secretHash: string; demo?: boolean },
): PlatformClient {
  if (!isWithinDivision(input.jurisdiction, admin.jurisdiction)) {
    throw new DomainError('VALIDATION_FAILED', 'the jurisdiction is outside your own', [
      { path: '$.jurisdiction', reason: `must lie within ${admin.jurisdiction}` },
    ]);
  }
  return {
    _id: meta.id,
    version: 1,
    name: input.name,
    role: input.role,
    jurisdiction: input.jurisdiction,
    scope: divisionScope(input.jurisdiction),
    access: input.access,
    secretHash: meta.secretHash,
    status: 'active',
    createdAt: meta.now.toISOString(),
    createdBy: admin.subject,
    demo: meta.demo ?? false,
    trustedDocumentsOnly: input.trustedDocumentsOnly,
    documents: [],
  };
}

export function assertActive(client: PlatformClient, action: string): void {
  if (client.status !== 'active') throw invalidTransition(action, client.status, ['active']);
}

export function withRotatedSecret(client: PlatformClient, meta: { now: Date; secretHash: string }): PlatformClient {
  assertActive(client, 'rotate the secret of');
  return { ...client, version: client.version + 1, secretHash: meta.secretHash, secretRotatedAt: meta.now.toISOString() };
}

export function revoked(client: PlatformClient, meta: { now: Date; actor: string }): PlatformClient {
  assertActive(client, 'revoke');
  return { ...client, version: client.version + 1, status: 'revoked', revokedAt: meta.now.toISOString(), revokedBy: meta.actor };
}
