import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import type { JWK } from 'jose';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { PlatformClient } from '../domain/client.ts';
import type { User } from '../domain/users.ts';
import type { SealedJwk } from '../oidc/seal.ts';

/** A platform client as stored: the aggregate plus the outbox that announces its changes. */
export type ClientDoc = PlatformClient & OutboxFields;

/**
 * An ES256 signing key. Its private part is stored sealed (`sealedPrivateJwk`, AES-256-GCM under
 * KEY_ENCRYPTION_KEY, src/oidc/seal.ts), is opened only in memory, never leaves this service and is
 * never logged; the JWKS publishes `publicJwk` only. `privateJwk` is a record from before sealing:
 * read once, sealed in place and removed.
 */
export interface SigningKeyDoc {
  _id: string;
  after: string;
  activeFrom: Date;
  createdAt: Date;
  publicJwk: JWK;
  sealedPrivateJwk?: SealedJwk;
  /** @deprecated unsealed, from before KEY_ENCRYPTION_KEY; sealed on the first read. */
  privateJwk?: JWK;
}

const opts = { versionKey: false, minimize: false } as const;

const clientSchema = new Schema<ClientDoc>(
  {
    _id: String,
    version: Number,
    name: String,
    role: String,
    jurisdiction: String,
    scope: [String],
    access: String,
    secretHash: String,
    status: String,
    createdAt: String,
    createdBy: String,
    secretRotatedAt: String,
    revokedAt: String,
    revokedBy: String,
    demo: Boolean,
    trustedDocumentsOnly: Boolean,
    // Kept in the client's record so a change and its event are one write; bounded (domain/documents.ts).
    documents: [{ _id: false, hash: String, document: String, registeredAt: String, registeredBy: String }],
    ...outboxSchemaFields,
  },
  opts,
);
// Lists are by jurisdiction in _id order; the relay's sweep finds unsent outboxes.
clientSchema.index({ scope: 1, _id: 1 });
clientSchema.index({ outboxPending: 1 });

const userSchema = new Schema<User>(
  {
    _id: String,
    username: String,
    name: String,
    role: String,
    jurisdiction: String,
    passwordHash: String,
    demo: Boolean,
    createdAt: String,
  },
  opts,
);
userSchema.index({ username: 1 }, { unique: true });

const keySchema = new Schema<SigningKeyDoc>(
  {
    _id: String,
    after: String,
    activeFrom: Date,
    createdAt: Date,
    publicJwk: Schema.Types.Mixed,
    sealedPrivateJwk: Schema.Types.Mixed,
    privateJwk: Schema.Types.Mixed,
  },
  opts,
);
// One successor per key: replicas rotating at the same moment create one key, not two.
keySchema.index({ after: 1 }, { unique: true });

export interface IdentityModels {
  clients: Model<ClientDoc>;
  users: Model<User>;
  signingKeys: Model<SigningKeyDoc>;
}

export function identityModels(conn: Connection): IdentityModels {
  return {
    clients: conn.model<ClientDoc>('Client', clientSchema, 'clients'),
    users: conn.model<User>('User', userSchema, 'users'),
    signingKeys: conn.model<SigningKeyDoc>('SigningKey', keySchema, 'signing_keys'),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: IdentityModels): Array<Collection<Document>> {
  return [models.clients.collection];
}
