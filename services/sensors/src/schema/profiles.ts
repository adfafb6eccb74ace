import { AppError } from '@firegov/kit';
import type { Profile } from '../domain/profiles.ts';
import { who } from './context.ts';
import { DeviceKindEnum } from './devices.ts';
import { builder } from './refs.ts';

// Device profiles: a kind's alarm rules and clocks. Rules are a nested tree of conditions
// (threshold, state, rate of rise, all/any); they travel as JSON rather than as a GraphQL input
// union, which GraphQL does not have.

const ProfileRef = builder.objectRef<Profile>('DeviceProfile').implement({
  fields: (t) => ({
    kind: t.field({ type: DeviceKindEnum, resolve: (p) => p.kind }),
    version: t.exposeInt('version'),
    heartbeatSeconds: t.exposeInt('heartbeatSeconds', { description: 'Expected interval between reports' }),
    offlineAfterMissed: t.exposeInt('offlineAfterMissed', {
      description: 'Missed heartbeats before the device counts as offline',
    }),
    faultHazardDays: t.exposeFloat('faultHazardDays', {
      description: 'Fault, offline or shielded longer than this becomes a hazard',
    }),
    rulesJson: t.string({
      description: 'The rules as JSON (see the service README for their shape)',
      resolve: (p) => JSON.stringify(p.rules),
    }),
  }),
});

const ProfileInput = builder.inputType('DeviceProfileInput', {
  fields: (t) => ({
    kind: t.field({ type: DeviceKindEnum, required: true }),
    heartbeatSeconds: t.int({ required: true }),
    offlineAfterMissed: t.int({ required: true }),
    faultHazardDays: t.float({ required: true }),
    lowBatteryPercent: t.float(),
    rulesJson: t.string({ required: true }),
  }),
});

builder.queryFields((t) => ({
  deviceProfiles: t.field({
    type: [ProfileRef],
    resolve: (_r, _a, ctx) => {
      who(ctx);
      return ctx.services.profiles.all();
    },
  }),
}));

builder.mutationFields((t) => ({
  updateDeviceProfile: t.field({
    type: ProfileRef,
    description: 'A county administrator changes a kind’s rules and clocks (announced as sensors.profile.updated)',
    errors: { types: [AppError] },
    args: { input: t.arg({ type: ProfileInput, required: true }) },
    resolve: (_r, { input }, ctx) => {
      let rules: unknown;
      try {
        rules = JSON.parse(input.rulesJson);
      } catch {
        throw new AppError('VALIDATION_FAILED', 'rulesJson is not JSON', {
          details: [{ path: '$.rulesJson', reason: 'must be a JSON array of rules' }],
        });
      }
      const { rulesJson: _json, lowBatteryPercent, ...rest } = input;
      return ctx.services.profiles.update(who(ctx), {
        ...rest,
        ...(lowBatteryPercent != null ? { lowBatteryPercent } : {}),
        rules,
      });
    },
  }),
}));
