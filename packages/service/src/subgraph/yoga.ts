import {
  bearerToken,
  GATEWAY_FORWARD_HEADER,
  gatewayForwardRefusal,
  identityFromAuthorizationHeader,
  type Identity,
  type VerifyTokenOptions,
} from '@firegov/auth';
import { AppError, graphqlOperationMetrics, toAppError, withoutSuggestions, type Logger } from '@firegov/kit';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { PolicyTable } from './policy.ts';
import { policyGate } from './policy-gate.ts';
import { personalDataAuditPlugin, type PersonalDataAuditSink } from './personal-data-audit.ts';

/** Validation errors (unknown fields, enum values) lose their suggestions before they are answered. */
const hideSuggestions: Plugin = {
  onValidate:
    () =>
    ({ result, setResult }) => {
      if (result.length === 0) return;
      const errors: ReadonlyArray<Error> = result;
      setResult(
        errors.map((e) =>
          e instanceof GraphQLError
            ? new GraphQLError(withoutSuggestions(e.message), { nodes: e.nodes, extensions: e.extensions })
            : e,
        ),
      );
    },
};

/**
 * A subgraph over HTTP. It authenticates every request itself from the bearer token the gateway
 * forwards (a caller that skips the gateway gains nothing), and maps typed errors to GraphQL errors
 * with a stable `extensions.code`; anything else is masked and logged. A platform client limited to
 * trusted documents is served only through the gateway, which alone knows its documents (the
 * gateway's proof header, checked with `auth.gatewayForwardKeys`): the subgraphs' ports are
 * published for their REST APIs, and a direct call would run any document and skip the gateway's
 * depth and cost limits.
 */
// yoga's own constraint on the context type; an interface only satisfies it with `any` values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function createSubgraphYoga<C extends Record<string, any>>(opts: {
  schema: GraphQLSchema;
  /** The identity service's keys (JWKS), issuer and audience: tokenVerification(env). */
  auth: VerifyTokenOptions;
  logger: Logger;
  context: (identity: Identity | undefined) => C;
  /** Who may call each root field (policy.ts): the gate every operation passes first. */
  policy: PolicyTable;
  /** Where records of unmasked personal data go; without it nothing personal is shown unmasked. */
  personalData?: PersonalDataAuditSink;
}): YogaServerInstance<Record<string, unknown>, C> {
  const gate = policyGate({ schema: opts.schema, policy: opts.policy, logger: opts.logger });
  return createYoga<Record<string, unknown>, C>({
    schema: gate.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
    plugins: [
      hideSuggestions,
      graphqlOperationMetrics(),
      gate.plugin,
      ...(opts.personalData
        ? [
            personalDataAuditPlugin({
              sink: opts.personalData,
              logger: opts.logger,
              identityOf: (c) => (c as { identity?: Identity }).identity,
            }),
          ]
        : []),
    ],
    context: async ({ request }) => {
      let identity: Identity | undefined;
      const header = request.headers.get('authorization') ?? undefined;
      // The SDL query the gateway's composition runs carries no token; resolvers that touch data
      // all require an identity, so an anonymous request can read nothing but the schema.
      if (header) {
        identity = await identityFromAuthorizationHeader(header, opts.auth);
        const refusal = gatewayForwardRefusal(
          identity,
          bearerToken(header) ?? '',
          request.headers.get(GATEWAY_FORWARD_HEADER),
          opts.auth.gatewayForwardKeys,
        );
        if (refusal) throw refusal;
      }
      return opts.context(identity);
    },
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof AppError && original.status < 500) {
          return new GraphQLError(original.message, { extensions: { code: original.code, details: original.details } });
        }
        if (error instanceof GraphQLError && !error.originalError) return error;
        // A variable the schema cannot take (an unknown enum value, a wrong type): graphql-js wraps
        // its own error; the message names the variable and the path, and the client can fix it.
        if (error instanceof GraphQLError && original instanceof GraphQLError) {
          return new GraphQLError(withoutSuggestions(error.message), { extensions: { code: 'VALIDATION_FAILED' } });
        }
        opts.logger.error({ err: original }, 'graphql request failed');
        // An unreachable store, Redis or Kafka is UNAVAILABLE (retry), anything else INTERNAL.
        const appErr = toAppError(original);
        return new GraphQLError(appErr.code === 'UNAVAILABLE' ? appErr.message : message, { extensions: { code: appErr.code } });
      },
    },
  });
}

/** GraphQL nulls mean "not given"; zod schemas then see undefined, not null. */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropNulls) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, dropNulls(v)]),
    ) as T;
  }
  return value;
}
export * from './builder.ts';
