import { AppError } from '@firegov/kit';
import { who } from './context.ts';
import { AgencyApiClientRef, AgencyRef, builder } from './refs.ts';

// The agencies' OAuth2 clients of the push API: created, rotated and revoked by the county.

AgencyApiClientRef.implement({
  description: 'An OAuth2 client of the push API; secrets are never shown again after creation',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    label: t.exposeString('label'),
    revokedAt: t.exposeString('revokedAt', { nullable: true }),
    activeSecrets: t.int({ resolve: (c) => c.secrets.filter((s) => !s.revokedAt).length }),
    createdAt: t.exposeString('createdAt'),
  }),
});

const ClientSecretRef = builder
  .objectRef<{ clientId: string; clientSecret: string; oldSecretsValidUntil?: string }>('AgencyClientSecret')
  .implement({
    description: 'Shown once: store the secret in the agency’s system now',
    fields: (t) => ({
      clientId: t.exposeString('clientId'),
      clientSecret: t.exposeString('clientSecret'),
      oldSecretsValidUntil: t.exposeString('oldSecretsValidUntil', { nullable: true }),
    }),
  });

builder.mutationFields((t) => ({
  createAgencyApiClient: t.field({
    type: ClientSecretRef,
    errors: { types: [AppError] },
    args: { agencyId: t.arg.id({ required: true }), label: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.createClient(who(ctx), String(a.agencyId), a.label),
  }),
  rotateAgencyClientSecret: t.field({
    type: ClientSecretRef,
    errors: { types: [AppError] },
    description: 'A new secret; the old ones keep working for overlapHours (1–720)',
    args: { clientId: t.arg.string({ required: true }), overlapHours: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.rotateSecret(who(ctx), a.clientId, a.overlapHours),
  }),
  revokeAgencyApiClient: t.field({
    type: AgencyRef,
    errors: { types: [AppError] },
    description: 'Its tokens stop working at once on this replica, within 2 s on others',
    args: { clientId: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.agencies.revokeClient(who(ctx), a.clientId),
  }),
}));
