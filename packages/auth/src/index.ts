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
