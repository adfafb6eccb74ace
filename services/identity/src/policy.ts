import { definePolicy, type PolicyEntry } from '@firegov/service';

// Who may call each root field of the identity subgraph. Platform clients and signing keys are
// the county administrator's (县级管理员) alone; the service still confines each client to the
// administrator's jurisdiction from the record itself (a client outside reads as absent).

const admin: PolicyEntry = { roles: ['county_admin'], relation: 'data' };

export const identityPolicy = definePolicy({
  'Query.platformClient': admin,
  'Query.platformClients': admin,
  'Query.signingKeys': { roles: ['county_admin'], relation: 'data', note: 'Key ids, states and dates only; never key material.' },
  'Mutation.registerPlatformClient': {
    roles: ['county_admin'],
    relation: [{ arg: 'input.jurisdiction', relation: 'within' }],
    note: 'A client acts within the jurisdiction it is given, which must lie within the administrator’s own.',
  },
  'Mutation.rotatePlatformClientSecret': admin,
  'Mutation.revokePlatformClient': admin,
  'Query.trustedDocuments': admin,
  'Mutation.setPlatformClientTrustedDocumentsOnly': admin,
  'Mutation.registerTrustedDocuments': {
    roles: ['county_admin'],
    relation: 'data',
    note: 'The client must lie within the administrator’s jurisdiction (one outside reads as absent).',
  },
  'Mutation.removeTrustedDocuments': admin,
  // The keys sign every county's tokens: the service allows only the administrator of HOME_JURISDICTION.
  'Mutation.rotateSigningKey': {
    roles: ['county_admin'],
    relation: 'data',
    note: 'The keys sign every token of the platform: only the county administrator of HOME_JURISDICTION.',
  },
  'Mutation.revokeSigningKey': {
    roles: ['county_admin'],
    relation: 'data',
    note: 'The keys sign every token of the platform: only the county administrator of HOME_JURISDICTION.',
  },
});
