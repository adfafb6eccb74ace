export { identitySchema, inScope, type Identity } from './identity.ts';
export { identityFromAuthorizationHeader, identityOf, requireIdentity } from './http.ts';
export { canSeePersonalData, isRole, isUserRole, Role } from './roles.ts';
export {
  DEFAULT_AUDIENCE,
  DEFAULT_EXPIRES_IN,
  DEFAULT_ISSUER,
  MIN_SECRET_BYTES,
  signToken,
  verifyToken,
  type SignTokenOptions,
  type VerifyTokenOptions,
} from './tokens.ts';
export * from './dev-secret.ts';
export {
  hashSecret,
  newClientSecret,
  OVERLAP_HOURS,
  overlapEnd,
  parseBasicAuth,
  revokeSecret,
  rotateSecrets,
  usableSecrets,
  verifySecret,
  type BasicCredentials,
  type ClientSecretRecord,
} from './client-credentials.ts';
export {
  findOwnedClient,
  newApiClient,
  ownerOfClientId,
  revokeApiClient,
  rotateApiClientSecret,
  type ApiClientRecord,
} from './api-clients.ts';
export {
  clientCredentialsTokens,
  OAuthError,
  oauthTokenHandler,
  type AccessTokenResponse,
  type ClientCaller,
  type ClientCredentialsTokenOptions,
  type ClientCredentialsTokens,
  type TokenClient,
} from './client-tokens.ts';
export { ownerCache, type OwnerCache } from './owner-cache.ts';
