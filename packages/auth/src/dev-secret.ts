/**
 * DEVELOPMENT ONLY. A fixed HS256 secret so that a local gateway, the local services and
 * `npm run token` agree without configuration. It is public (it is in git): any deployment must
 * set JWT_SECRET to its own random value of at least 32 bytes (e.g. `openssl rand -base64 48`).
 */
export const DEV_JWT_SECRET = 'firegov-dev-only-jwt-secret-NOT-FOR-PRODUCTION-0';
