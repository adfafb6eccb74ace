import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { DeviceGateway, GatewayClient } from '../domain/gateways.ts';
import type { IssuedSecret } from '../service/gateways.ts';
import { who } from './context.ts';
import { builder } from './refs.ts';

// Device gateways (设备网关) and their OAuth2 clients, managed by the county and its townships.
// Secrets appear in a mutation's answer once and are never readable again.

const GatewayClientRef = builder.objectRef<GatewayClient>('DeviceGatewayClient').implement({
  description: 'An OAuth2 client of a device gateway (client credentials at POST /oauth/token)',
  fields: (t) => ({
    clientId: t.exposeString('clientId'),
    label: t.exposeString('label'),
    revokedAt: t.exposeString('revokedAt', { nullable: true }),
    usableSecrets: t.int({
      description: 'Secrets that authenticate now; a rotated one counts until its overlap ends',
      resolve: (c, _a, ctx) => ctx.services.gateways.usableSecretCount(c),
    }),
    createdAt: t.exposeString('createdAt'),
  }),
});

const GatewayRef = builder.objectRef<DeviceGateway>('DeviceGateway').implement({
  description: '设备网关: a vendor’s IoT platform that registers its devices and pushes their readings',
  fields: (t) => ({
    id: t.exposeID('_id'),
    name: t.exposeString('name'),
    vendor: t.exposeString('vendor', { description: '厂商' }),
    jurisdictionCode: t.exposeString('jurisdictionCode', { description: 'The county or township the gateway serves' }),
    contactName: t.string({ resolve: (g) => g.contact.name }),
    contactPhone: t.string({ resolve: (g) => g.contact.phone }),
    clients: t.field({ type: [GatewayClientRef], resolve: (g) => g.clients }),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

const GatewaySecretRef = builder.objectRef<IssuedSecret>('DeviceGatewaySecret').implement({
  description: 'Shown once: store the secret in the vendor’s platform now',
  fields: (t) => ({
    gatewayId: t.exposeID('gatewayId'),
    clientId: t.exposeString('clientId'),
    clientSecret: t.exposeString('clientSecret'),
    oldSecretsValidUntil: t.exposeString('oldSecretsValidUntil', { nullable: true }),
  }),
});

const RegistrationRef = builder.objectRef<{ gateway: DeviceGateway } & IssuedSecret>('DeviceGatewayRegistration').implement({
  description: 'The new gateway and its first client; the secret is shown once',
  fields: (t) => ({
    gateway: t.field({ type: GatewayRef, resolve: (r) => r.gateway }),
    clientId: t.exposeString('clientId'),
    clientSecret: t.exposeString('clientSecret'),
  }),
});

const ContactInput = builder.inputType('DeviceGatewayContactInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true, description: 'A mainland mobile number' }),
  }),
});

const RegisterInput = builder.inputType('RegisterDeviceGatewayInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    vendor: t.string({ required: true }),
    jurisdictionCode: t.string({ required: true, description: 'A county or a township in your jurisdiction' }),
    contact: t.field({ type: ContactInput, required: true }),
    clientLabel: t.string({ description: 'Label of the first client (default "primary")' }),
  }),
});

builder.queryFields((t) => ({
  deviceGateways: t.field({
    type: [GatewayRef],
    description: 'Gateways serving your jurisdiction or below (county administrators and township officers)',
    resolve: (_r, _a, ctx) => ctx.services.gateways.list(who(ctx)),
  }),
  deviceGateway: t.field({
    type: GatewayRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.gateways.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
}));

builder.mutationFields((t) => ({
  registerDeviceGateway: t.field({
    type: RegistrationRef,
    errors: { types: [AppError] },
    description: 'A gateway with its first client; the client secret is in this answer only',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.gateways.register(who(ctx), dropNulls(input)),
  }),
  addDeviceGatewayClient: t.field({
    type: GatewaySecretRef,
    errors: { types: [AppError] },
    description: 'Another client of the gateway (a second system, or one replacing a revoked client)',
    args: { gatewayId: t.arg.id({ required: true }), label: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.gateways.addClient(who(ctx), String(a.gatewayId), { label: a.label }),
  }),
  rotateDeviceGatewaySecret: t.field({
    type: GatewaySecretRef,
    errors: { types: [AppError] },
    description: 'A new secret; the client’s current secrets keep working for overlapHours (1–720)',
    args: { clientId: t.arg.string({ required: true }), overlapHours: t.arg.int({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.gateways.rotateSecret(who(ctx), a.clientId, a.overlapHours),
  }),
  revokeDeviceGatewayClient: t.field({
    type: GatewayRef,
    errors: { types: [AppError] },
    description: 'Its tokens stop working at once on this replica, within 2 s on others',
    args: { clientId: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.services.gateways.revokeClient(who(ctx), a.clientId),
  }),
}));
