// How a bearer token travels (RFC 6750 §2.1) and how its claims are read where it was verified
// already. Every reader of the Authorization header uses these, so they all agree on what a token is.

/** `Authorization: Bearer <token>`; the token in group 1 (b64token, RFC 6750). */
const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

/** The token of a `Bearer` Authorization header, or undefined when the header is absent or of another form. */
export function bearerToken(header: string | null | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

/**
 * The claims of a JWT, decoded WITHOUT verifying it: only for a token this process verified a
 * moment ago (the gateway's runtime reads the header requireIdentity checked in front of it).
 * Undefined when it is not a JWT with a JSON object as payload.
 */
export function unverifiedClaims(token: string | undefined): Record<string, unknown> | undefined {
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
