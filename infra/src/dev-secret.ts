/**
 * DEVELOPMENT ONLY. A fixed HS256 secret so that the local platform (`npm start`), its services, the
 * gateway and `npm run token` agree without configuration. It is public (it is in git): any
 * deployment must set JWT_SECRET to its own random value of at least 32 bytes (e.g.
 * `openssl rand -base64 48`). A local-stack concern, so it lives with the stack scripts.
 */
export const DEV_JWT_SECRET = 'firegov-dev-only-jwt-secret-NOT-FOR-PRODUCTION-0';
