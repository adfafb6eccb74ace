import { AppError } from '@firegov/kit';
import type { Identity } from './identity.ts';

// A county administrator registers each platform client (平台客户端) for `read` or `write`; the
// identity service grants its tokens `read`, or `read write`, and no more. People are not bound by
// scopes: what a person may do is their role's, and the console they sign in with asks for both.

/** The scopes of the platform's API, as the identity service grants them. */
export const API_SCOPES = ['read', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * True for a token a platform client got with client credentials: its subject is the client itself
 * (RFC 9068 §2.2; the identity service, oidc-provider, sets `sub` to `client_id` when the token
 * names no account). A person's token names the person as subject and the app (the console) as
 * client. A token that names no client (development tools) is a person's.
 */
export function isPlatformClient(identity: Pick<Identity, 'subject' | 'client'>): boolean {
  return identity.client !== undefined && identity.client.id === identity.subject;
}

/** The scope an operation of this kind needs: `write` to change anything, `read` to query or listen. */
export const scopeFor = (kind: OperationKind): ApiScope => (kind === 'mutation' ? 'write' : 'read');

/**
 * The scope a platform client's token lacks for an operation of this kind, or undefined when it may
 * go on (and always for a person). `write` implies `read`: a write client's tokens carry both, and
 * one that asked for `write` alone still reads what its own mutations return.
 */
export function missingScope(identity: Pick<Identity, 'subject' | 'client'>, kind: OperationKind): ApiScope | undefined {
  if (!isPlatformClient(identity)) return undefined;
  const granted = identity.client?.scopes ?? [];
  const needed = scopeFor(kind);
  if (granted.includes('write')) return undefined;
  return needed === 'read' && granted.includes('read') ? undefined : needed;
}

/**
 * FORBIDDEN naming the missing scope when a platform client's token does not allow `what` (a root
 * field, `Mutation.registerUnit`, or an operation), else undefined. The client fixes it by asking
 * for the scope, or its administrator by registering it for `write`.
 */
export function scopeRefusal(
  identity: Pick<Identity, 'subject' | 'client'>,
  kind: OperationKind,
  what: string,
): AppError | undefined {
  const missing = missingScope(identity, kind);
  if (missing === undefined) return undefined;
  const granted = identity.client?.scopes ?? [];
  const carries = granted.length > 0 ? `carries scope "${granted.join(' ')}"` : 'carries no scope';
  return new AppError('FORBIDDEN', `${what} needs scope ${missing}; this platform client's token ${carries}`, {
    details: [{ path: 'scope', reason: `${kind === 'mutation' ? 'a mutation' : `a ${kind}`} needs ${missing}` }],
  });
}
