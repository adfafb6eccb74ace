import { authEnvShape } from '@firegov/auth';
import { envFragments, loadEnvOrExit } from '@firegov/kit';
import { z } from 'zod';

// The only module of the gateway that reads process.env.

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** `entities=http://127.0.0.1:4001/graphql,inspections=http://…` → [{ name, url }, …] */
export const subgraphListSchema = z.string().transform((value, ctx): SubgraphEndpoint[] => {
  const list: SubgraphEndpoint[] = [];
  for (const [index, raw] of value.split(',').entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    const match = /^([A-Za-z][A-Za-z0-9_-]*)=(.+)$/.exec(entry);
    const url = match?.[2]?.trim();
    if (!match?.[1] || !url) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} "${entry}" must be name=url` });
      continue;
    }
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1}: "${url}" is not an http(s) URL` });
      continue;
    }
    if (list.some((s) => s.name === match[1])) {
      ctx.addIssue({ code: 'custom', message: `subgraph "${match[1]}" is listed twice` });
      continue;
    }
    list.push({ name: match[1], url });
  }
  if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one subgraph as name=url' });
  return list;
});

export const gatewayEnvSchema = z.object({
  ...envFragments.common,
  ...envFragments.telemetry,
  ...envFragments.redis,
  HOST: envFragments.http.HOST,
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  // Processes serving the one port (workers.ts); a host with spare cores gives the gateway more.
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  // Callers' tokens are verified against the identity service's published keys: the gateway holds
  // no key that could sign one.
  ...authEnvShape,
  SUBGRAPHS: subgraphListSchema.default([
    { name: 'entities', url: 'http://127.0.0.1:4001/graphql' },
    { name: 'inspections', url: 'http://127.0.0.1:4002/graphql' },
    { name: 'assessment', url: 'http://127.0.0.1:4003/graphql' },
  ]),
  SUPERGRAPH_PATH: z.string().min(1).default('gateway/supergraph.graphql'),
  MAX_DEPTH: positiveInt(10),
  MAX_ALIASES: positiveInt(15),
  MAX_COST: positiveInt(5000),
  MAX_TOKENS: positiveInt(2000),
  MAX_BODY_BYTES: positiveInt(100_000),
  // 0 turns the limit off (Redis is still read: platform clients' cutoffs, see @firegov/auth client-cutoffs.ts).
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // An operation one subgraph answers whole is sent to it as written, skipping the query planner
  // (forward.ts); `false` plans every operation (to compare, or should a subgraph ever disagree).
  FORWARD_SINGLE_SUBGRAPH: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  // Where a platform client limited to trusted documents has them read (the identity service's
  // GET /trusted-documents, asked with the client's own token); default: beside AUTH_JWKS_URL.
  TRUSTED_DOCUMENTS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  // How long a client's trusted documents are used before they are read again: a removed document
  // stops working within it. 0 reads them on every request.
  TRUSTED_DOCUMENTS_CACHE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

/** TRUSTED_DOCUMENTS_URL, or the identity service's endpoint at the origin of its JWKS (which the gateway reaches already). */
export const trustedDocumentsUrl = (env: Pick<GatewayEnv, 'TRUSTED_DOCUMENTS_URL' | 'AUTH_JWKS_URL'>): string =>
  env.TRUSTED_DOCUMENTS_URL ?? new URL('/trusted-documents', env.AUTH_JWKS_URL).toString();

let loaded: GatewayEnv | undefined;

/** The process's environment, parsed once (instrument.ts and index.ts both need it). */
export function loadGatewayEnv(): GatewayEnv {
  loaded ??= loadEnvOrExit(gatewayEnvSchema, process.env);
  return loaded;
}

// compose-cli needs neither the token issuer nor the limits, so it must not fail for lack of them.
export const composeEnvSchema = gatewayEnvSchema.pick({ SUBGRAPHS: true, SUPERGRAPH_PATH: true, LOG_LEVEL: true });
export type ComposeEnv = z.infer<typeof composeEnvSchema>;

export function loadComposeEnv(): ComposeEnv {
  return loadEnvOrExit(composeEnvSchema, process.env);
}

// The token CLI signs a demo person in at the identity service (AUTH_ISSUER, npm start's by
// default) with the demo password: DEMO_USER_PASSWORD, else derived from DEV_SEED as npm start does.
const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
export const tokenCliEnvSchema = z.object({
  AUTH_ISSUER: z.url().default('http://127.0.0.1:4006'),
  DEMO_USER_PASSWORD: optional,
  DEV_SEED: optional,
});

export function loadTokenCliEnv(): z.infer<typeof tokenCliEnvSchema> {
  return loadEnvOrExit(tokenCliEnvSchema, process.env);
}
