import { identityClientTopic, type PlatformClientSnapshot, type TrustedDocumentsChange } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { PlatformClient } from '../domain/client.ts';

// Every event this service emits, built from snapshots of its documents. Services import their
// builders from here; nothing else builds events.

/** The client as announced: everything but the secret's hash. */
export function clientSnapshot(doc: PlatformClient): PlatformClientSnapshot {
  return {
    id: doc._id,
    version: doc.version,
    name: doc.name,
    role: doc.role,
    jurisdiction: doc.jurisdiction,
    access: doc.access,
    status: doc.status,
    createdAt: doc.createdAt,
    createdBy: doc.createdBy,
    ...(doc.secretRotatedAt ? { secretRotatedAt: doc.secretRotatedAt } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
    ...(doc.revokedBy ? { revokedBy: doc.revokedBy } : {}),
    demo: doc.demo,
    trustedDocumentsOnly: doc.trustedDocumentsOnly ?? false,
  };
}

export type ClientEvent =
  | 'identity.client.registered'
  | 'identity.client.secret_rotated'
  | 'identity.client.revoked'
  | 'identity.client.trusted_documents_only_changed';

export const clientEvent = (type: ClientEvent, doc: PlatformClient): OutboxEntry =>
  outboxEntry(identityClientTopic, 'identity', { type, key: doc.jurisdiction, subject: doc._id, data: clientSnapshot(doc) });

/** Documents added to or removed from a client's trusted documents: their hashes, never their text. */
export function documentsEvent(
  type: 'identity.client.documents_registered' | 'identity.client.documents_removed',
  doc: PlatformClient,
  change: { hashes: string[]; by: string; at: Date },
): OutboxEntry {
  const data: TrustedDocumentsChange = {
    clientId: doc._id,
    version: doc.version,
    jurisdiction: doc.jurisdiction,
    hashes: change.hashes,
    by: change.by,
    at: change.at.toISOString(),
  };
  return outboxEntry(identityClientTopic, 'identity', { type, key: doc.jurisdiction, subject: doc._id, data });
}
