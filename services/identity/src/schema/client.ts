import { AppError } from '@firegov/kit';
import type { PlatformClient } from '../domain/client.ts';
import type { TrustedDocument } from '../domain/documents.ts';
import type { IssuedClient } from '../service/client.ts';
import type { SigningKeyView } from '../service/signing-keys.ts';
import { who } from './context.ts';
import { builder, pageRef } from './refs.ts';

export const PlatformClientRef = builder.objectRef<PlatformClient>('PlatformClient').implement({
  description: 'A machine caller (a county platform, 平台客户端) that gets tokens with OAuth client credentials.',
  fields: (t) => ({
    id: t.exposeID('_id', { description: 'The OAuth client_id' }),
    name: t.exposeString('name'),
    role: t.exposeString('role', { description: 'The role its tokens carry' }),
    jurisdiction: t.exposeString('jurisdiction', { description: 'The division code its tokens carry' }),
    access: t.exposeString('access', { description: 'read, or write (its tokens carry scopes read and write)' }),
    status: t.exposeString('status', { description: 'active or revoked' }),
    createdAt: t.exposeString('createdAt'),
    createdBy: t.exposeString('createdBy'),
    secretRotatedAt: t.exposeString('secretRotatedAt', { nullable: true }),
    revokedAt: t.exposeString('revokedAt', { nullable: true }),
    demo: t.exposeBoolean('demo'),
    trustedDocumentsOnly: t.boolean({
      description: 'Its tokens run only its registered trusted documents, sent by hash (claim trusted_documents)',
      resolve: (c) => c.trustedDocumentsOnly ?? false,
    }),
  }),
});

const TrustedDocumentRef = builder.objectRef<TrustedDocument>('TrustedDocument').implement({
  description: 'A GraphQL document a platform client may run by its hash (a persisted operation).',
  fields: (t) => ({
    hash: t.exposeID('hash', {
      description: 'sha256 of the text, lower-case hex: extensions.persistedQuery.sha256Hash, or documentId',
    }),
    document: t.exposeString('document'),
    registeredAt: t.exposeString('registeredAt'),
    registeredBy: t.exposeString('registeredBy'),
  }),
});

const IssuedPlatformClientRef = builder.objectRef<IssuedClient>('IssuedPlatformClient').implement({
  fields: (t) => ({
    client: t.field({ type: PlatformClientRef, resolve: (i) => i.client }),
    clientSecret: t.exposeString('clientSecret', {
      description: 'Shown this once: the service keeps only a hash. Store it in the platform’s secret store.',
    }),
  }),
});

const PlatformClientPageRef = pageRef<PlatformClient>('PlatformClient', PlatformClientRef);

const SigningKeyRef = builder.objectRef<SigningKeyView>('SigningKey').implement({
  description: 'A key the identity service signs tokens with (ES256); only its id, state and date, never key material.',
  fields: (t) => ({
    kid: t.exposeID('kid'),
    state: t.exposeString('state', { description: 'active (signs now), upcoming (published, signs from activeFrom) or retired' }),
    activeFrom: t.exposeString('activeFrom'),
  }),
});

const RegisterPlatformClientInput = builder.inputType('RegisterPlatformClientInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.string({
      required: true,
      description:
        'county_admin, township_officer, village_grid_manager, department_officer, fire_brigade, or learning_platform (the national learning platform, for its xAPI statements)',
    }),
    jurisdiction: t.string({ required: true, description: 'A 12-digit division code within your own jurisdiction' }),
    access: t.string({ required: true, description: 'read or write' }),
    trustedDocumentsOnly: t.boolean({
      description: 'Limit the client to its registered documents (registerTrustedDocuments); default false',
    }),
  }),
});

builder.queryFields((t) => ({
  platformClient: t.field({
    type: PlatformClientRef,
    nullable: true,
    description: 'A platform client within your jurisdiction (county administrators only).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.clients.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  platformClients: t.field({
    type: PlatformClientPageRef,
    description: 'The platform clients within your jurisdiction, oldest first (county administrators only).',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.clients.list(who(ctx), a.first, a.after),
  }),
  trustedDocuments: t.field({
    type: [TrustedDocumentRef],
    description:
      'The trusted documents of a platform client within your jurisdiction, oldest first (county administrators only).',
    args: { clientId: t.arg.id({ required: true }) },
    resolve: (_r, { clientId }, ctx) => ctx.services.clients.documents(who(ctx), String(clientId)),
  }),
  signingKeys: t.field({
    type: [SigningKeyRef],
    description: 'The published signing keys (county administrators only).',
    resolve: (_r, _a, ctx) => ctx.services.signingKeys.list(who(ctx)),
  }),
}));

builder.mutationFields((t) => ({
  registerPlatformClient: t.field({
    type: IssuedPlatformClientRef,
    errors: { types: [AppError] },
    description: 'Registers a platform client; its secret is in the answer, once.',
    args: { input: t.arg({ type: RegisterPlatformClientInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.clients.register(who(ctx), input),
  }),
  rotatePlatformClientSecret: t.field({
    type: IssuedPlatformClientRef,
    errors: { types: [AppError] },
    description:
      'A new secret for the client, shown once; the old one stops working at once, and the gateway and every subgraph refuse the tokens it got. Answers within a second.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.clients.rotateSecret(who(ctx), { id: String(id) }),
  }),
  revokePlatformClient: t.field({
    type: PlatformClientRef,
    errors: { types: [AppError] },
    description:
      'Revokes the client at once: it gets no new token, and the gateway and every subgraph refuse the tokens it holds.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => ctx.services.clients.revoke(who(ctx), { id: String(id) }),
  }),
  setPlatformClientTrustedDocumentsOnly: t.field({
    type: PlatformClientRef,
    errors: { types: [AppError] },
    description:
      'Limits the client to its trusted documents, or lifts the limit. Tokens issued from now on say so; limiting also ends the tokens it holds at once (lifting leaves them be until they expire).',
    args: { id: t.arg.id({ required: true }), trustedDocumentsOnly: t.arg.boolean({ required: true }) },
    resolve: (_r, a, ctx) =>
      ctx.services.clients.setTrustedDocumentsOnly(who(ctx), { id: String(a.id), trustedDocumentsOnly: a.trustedDocumentsOnly }),
  }),
  registerTrustedDocuments: t.field({
    type: [TrustedDocumentRef],
    errors: { types: [AppError] },
    description:
      'Registers GraphQL documents the client may run by hash; each must parse (an error names documents[i]). Answers them in the order given; one already registered is answered as it was.',
    args: { clientId: t.arg.id({ required: true }), documents: t.arg.stringList({ required: true }) },
    resolve: (_r, a, ctx) =>
      ctx.services.clients.registerDocuments(who(ctx), { clientId: String(a.clientId), documents: a.documents }),
  }),
  removeTrustedDocuments: t.field({
    type: ['ID'],
    errors: { types: [AppError] },
    description: 'Removes documents by hash; the gateway stops running them within its cache time. Answers the hashes removed.',
    args: { clientId: t.arg.id({ required: true }), hashes: t.arg.stringList({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.clients.removeDocuments(who(ctx), { clientId: String(a.clientId), hashes: a.hashes }),
  }),
  rotateSigningKey: t.field({
    type: [SigningKeyRef],
    errors: { types: [AppError] },
    description:
      'Rotates the signing key now: the new key is published at once and signs after KEY_PUBLISH_AHEAD, or with immediate after KEY_SYNC_MS + 30 s (every replica and verifier can know it by then). The old key stays published until its tokens expire: for a key thought compromised, revokeSigningKey.',
    args: { immediate: t.arg.boolean({ defaultValue: false }) },
    resolve: (_r, { immediate }, ctx) => ctx.services.signingKeys.rotate(who(ctx), immediate ?? false),
  }),
  revokeSigningKey: t.field({
    type: [SigningKeyRef],
    errors: { types: [AppError] },
    description:
      'Revokes a key thought compromised: it leaves the JWKS and is destroyed now (on other replicas within KEY_SYNC_MS); if it signed, a successor signs now. Verifiers that cached the JWKS drop it within their cache age (10 min). Answers the keys left.',
    args: { kid: t.arg.id({ required: true }) },
    resolve: (_r, { kid }, ctx) => ctx.services.signingKeys.revoke(who(ctx), String(kid)),
  }),
}));
