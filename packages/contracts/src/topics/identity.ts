import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the identity service: platform clients (平台客户端) as a county administrator registers,
// rotates and revokes them, and the trusted documents a client may be limited to. A snapshot never
// carries the secret or its hash; a document change names the documents by their hashes only.

export const platformClientSnapshotSchema = z.object({
  id: z.string().min(1).meta({ description: 'The OAuth client_id' }),
  version: z.number().int().min(1),
  name: z.string().min(1),
  role: z.string().min(1).meta({ description: 'The role its tokens carry (claim role)' }),
  jurisdiction: z
    .string()
    .regex(/^\d{12}$/)
    .meta({ description: 'The division code its tokens carry (claim jur)' }),
  access: z.enum(['read', 'write']),
  status: z.enum(['active', 'revoked']),
  createdAt: z.iso.datetime(),
  createdBy: z.string().min(1),
  secretRotatedAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().min(1).optional(),
  demo: z.boolean(),
  trustedDocumentsOnly: z.boolean().optional().meta({
    description: 'Its tokens run only its registered documents (claim trusted_documents); absent in events before it existed',
  }),
});
export type PlatformClientSnapshot = z.infer<typeof platformClientSnapshotSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Documents registered for, or removed from, a client's trusted documents: their hashes, never their text. */
export const trustedDocumentsChangeSchema = z.object({
  clientId: z.string().min(1),
  version: z.number().int().min(1).meta({ description: 'The client’s version after the change' }),
  jurisdiction: z.string().regex(/^\d{12}$/),
  hashes: z.array(sha256Hex).min(1).meta({ description: 'sha256 (hex) of each document added or removed' }),
  by: z.string().min(1).meta({ description: 'The county administrator who made the change' }),
  at: z.iso.datetime(),
});
export type TrustedDocumentsChange = z.infer<typeof trustedDocumentsChangeSchema>;

export const identityClientTopic = defineTopic({
  name: 'firegov.identity.clients.v1',
  owner: 'identity',
  description:
    'Platform clients (OAuth client credentials) as a county administrator registers them, rotates their secrets, limits them to trusted documents and revokes them, announced whole on every change; their trusted documents as registered and removed (hashes only).',
  keyedBy: 'jurisdiction code',
  events: {
    'identity.client.registered': platformClientSnapshotSchema,
    'identity.client.secret_rotated': platformClientSnapshotSchema,
    'identity.client.revoked': platformClientSnapshotSchema,
    'identity.client.trusted_documents_only_changed': platformClientSnapshotSchema,
    'identity.client.documents_registered': trustedDocumentsChangeSchema,
    'identity.client.documents_removed': trustedDocumentsChangeSchema,
  },
});
