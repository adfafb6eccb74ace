import { definePolicy, rolesExcept, type PolicyEntry } from '@firegov/service';
import type { Role } from '@firegov/auth';

// Who may call each root field of the sensors subgraph. Reads are for the county's fire-safety
// organisation and scoped by the service to the caller's jurisdiction (devices, alarms and the
// live feed are filtered by their unit's place); writes follow service/alarms.ts (isUserRole),
// service/devices.ts and service/gateways.ts (STAFF_WRITERS) and service/profiles.ts. Device
// gateways push readings to the ingest API with their own client credentials (not a GraphQL
// token) and read nothing back; agencies and the learning platform have no flow here.

/** People of the county's fire-safety organisation read and handle alarms (outside parties do not). */
const USERS: Role[] = rolesExcept('agency', 'device_gateway', 'learning_platform');
/** Devices and device gateways are registered and managed by the county and townships. */
const STAFF: Role[] = ['county_admin', 'township_officer'];
const scoped: PolicyEntry = { roles: USERS, relation: 'data' };
const staff: PolicyEntry = { roles: STAFF, relation: 'data' };
const alarmStep: PolicyEntry = { roles: USERS, relation: 'data' };

export const sensorsPolicy = definePolicy({
  'Query._entities': { ...scoped, note: 'Units’ devices and alarms, scoped to the caller’s jurisdiction.' },
  'Query.alarm': scoped,
  'Query.alarms': scoped,
  'Query.alarmStats': scoped,
  'Query.device': scoped,
  'Query.devices': scoped,
  'Query.deviceOnlineRate': scoped,
  'Query.deviceProfiles': scoped,
  'Query.deviceKinds': {
    roles: [],
    relation: 'public',
    note: 'What each device kind measures and how its points are named: reference data, naming no place or person.',
  },
  'Query.deviceGateway': staff,
  'Query.deviceGateways': staff,

  'Mutation.acknowledgeAlarm': alarmStep,
  'Mutation.confirmAlarm': alarmStep,
  'Mutation.markFalseAlarm': alarmStep,
  'Mutation.clearAlarm': alarmStep,
  'Mutation.registerDevice': staff,
  'Mutation.moveDevice': staff,
  'Mutation.retireDevice': staff,
  'Mutation.registerDeviceGateway': staff,
  'Mutation.addDeviceGatewayClient': staff,
  'Mutation.revokeDeviceGatewayClient': staff,
  'Mutation.rotateDeviceGatewaySecret': {
    ...staff,
    note: 'Old and new secret overlap; the gateway’s own credentials, not a user token.',
  },
  'Mutation.updateDeviceProfile': {
    roles: ['county_admin'],
    relation: 'data',
    note: 'Alarm rules per device kind, county-wide.',
  },

  'Subscription.alarmEvents': { ...scoped, note: 'The live alarm feed of the caller’s jurisdiction.' },
});
