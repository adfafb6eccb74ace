export { identitySchema, inScope, type Identity } from './identity.ts';
export { bearerToken, unverifiedClaims } from './bearer.ts';
export {
  GATEWAY_FORWARD_HEADER,
  gatewayForwardKeysSchema,
  gatewayForwardProof,
  gatewayForwardRefusal,
  isForwardedByGateway,
  TRUSTED_DOCUMENTS_CLAIM,
} from './trusted-documents.ts';
export {
  CUTOFF_RETENTION_S,
  cutoffRefusal,
  DEFAULT_CUTOFF_PREFIX,
  redisClientCutoffs,
  type ClientCutoff,
  type ClientCutoffs,
  type CutoffReason,
} from './client-cutoffs.ts';
export { identityFromAuthorizationHeader, identityOf, requireIdentity } from './http.ts';
export { canSeePersonalData, isRole, isUserRole, Role } from './roles.ts';
export {
  API_SCOPES,
  isPlatformClient,
  missingScope,
  scopeFor,
  scopeRefusal,
  type ApiScope,
  type OperationKind,
} from './scopes.ts';
export {
  ACCESS_TOKEN_TYPE,
  DEFAULT_AUDIENCE,
  DEFAULT_EXPIRES_IN,
  signToken,
  TOKEN_ALGORITHMS,
  verifyToken,
  type SignTokenOptions,
  type TokenAlgorithm,
  type TokenKeys,
  type VerifyTokenOptions,
} from './tokens.ts';
export { verifiedTokens, type VerifiedToken, type VerifiedTokens } from './verified-tokens.ts';
export {
  authEnvShape,
  JWKS_CACHE_MAX_AGE_MS,
  JWKS_COOLDOWN_MS,
  remoteKeys,
  tokenVerification,
  type AuthEnv,
  type RemoteKeysOptions,
} from './jwks.ts';
export {
  hashSecret,
  hashSecretAsync,
  newClientSecret,
  OVERLAP_HOURS,
  overlapEnd,
  parseBasicAuth,
  revokeSecret,
  rotateSecrets,
  usableSecrets,
  verifySecret,
  verifySecretAsync,
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
  MIN_SECRET_BYTES,
  OAuthError,
  oauthTokenHandler,
  type AccessTokenResponse,
  type ClientCaller,
  type ClientCredentialsTokenOptions,
  type ClientCredentialsTokens,
  type TokenClient,
} from './client-tokens.ts';
export { ownerCache, type OwnerCache } from './owner-cache.ts';
export {
  CONSOLE_CLIENT_ID,
  pkcePair,
  SIGNED_IN_PATH,
  SignInError,
  signInWithPassword,
  type PasswordSignInOptions,
  type SignInTokens,
} from './password-sign-in.ts';
