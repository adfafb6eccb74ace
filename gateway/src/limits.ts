import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError } from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives?: number;
}

/** The `extensions.code` of each refusal; clients branch on these, never on the message. */
export const LimitCodes = {
  depth: 'QUERY_TOO_DEEP',
  aliases: 'TOO_MANY_ALIASES',
  cost: 'QUERY_TOO_COSTLY',
  tokens: 'TOO_MANY_TOKENS',
  directives: 'TOO_MANY_DIRECTIVES',
} as const;

// graphql-armor reports a bare "Syntax Error: …" with no code. Each protection gets a handler that
// reports the same message with a stable code instead; armor's own throw is turned off
// (propagateOnRejection: false) so the query is refused exactly once, by us.
function refuseWith(code: string): { onReject: GraphQLArmorRejectCallback[]; propagateOnRejection: false } {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx, error) => {
        const refusal = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
          extensions: { code, http: { status: 400 } },
        });
        // The token limit runs inside the parser, where there is no validation context to report
        // to: throwing is how a parse fails.
        if (ctx === null) throw refusal;
        ctx.reportError(refusal);
      },
    ],
  };
}

/** graphql-armor with the platform's limits; introspection is exempt from depth and cost. */
export function queryLimitsPlugin(limits: QueryLimits) {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...refuseWith(LimitCodes.depth) },
    maxAliases: { n: limits.maxAliases, ...refuseWith(LimitCodes.aliases) },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...refuseWith(LimitCodes.cost) },
    maxTokens: { n: limits.maxTokens, ...refuseWith(LimitCodes.tokens) },
    maxDirectives: { n: limits.maxDirectives ?? 50, ...refuseWith(LimitCodes.directives) },
    // "Did you mean …" hints would let a caller map the schema without introspection.
    blockFieldSuggestion: { enabled: true },
  });
}
