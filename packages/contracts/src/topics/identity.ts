import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the identity service: platform clients (平台客户端) as a county administrator registers,
// rotates and revokes them. A snapshot never carries the secret or its hash.

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
});
export type PlatformClientSnapshot = z.infer<typeof platformClientSnapshotSchema>;

export const identityClientTopic = defineTopic({
  name: 'firegov.identity.clients.v1',
  owner: 'identity',
  description:
    'Platform clients (OAuth client credentials) as a county administrator registers them, rotates their secrets and revokes them, announced whole on every change.',
  keyedBy: 'jurisdiction code',
  events: {
    'identity.client.registered': platformClientSnapshotSchema,
    'identity.client.secret_rotated': platformClientSnapshotSchema,
    'identity.client.revoked': platformClientSnapshotSchema,
  },
});
