import { bearerToken, scopeRefusal, unverifiedClaims, type Identity } from '@firegov/auth';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import { perToken } from './per-token.ts';

// A platform client registered read-only must not change anything: its mutations are refused here,
// before the gateway plans them, and its queries and subscriptions when its token carries no scope
// at all. The subgraphs refuse the same operations again at their policy gates (a subgraph called
// directly gains nothing); this saves the round trips and answers before any subgraph is asked.

/**
 * Who the bearer token names, as far as scopes go (subject and client); undefined without a token.
 * requireIdentity verified this very header in front of the runtime, so its claims are only read.
 */
export function tokenCallerOf(authorization: string | null): Pick<Identity, 'subject' | 'client'> | undefined {
  const token = bearerToken(authorization);
  return token === undefined ? undefined : callerOfToken(token);
}

const callerOfToken = perToken((token): Pick<Identity, 'subject' | 'client'> | undefined => {
  const claims = unverifiedClaims(token);
  if (typeof claims?.sub !== 'string') return undefined;
  const clientId = claims.client_id;
  if (typeof clientId !== 'string') return { subject: claims.sub };
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : [];
  return { subject: claims.sub, client: { id: clientId, scopes } };
});

interface OperationArgs {
  document: DocumentNode;
  operationName?: string | null | undefined;
  contextValue: unknown;
}

/** The refusal of an operation a platform client's token has no scope for, else undefined. */
export function operationScopeRefusal(args: OperationArgs): GraphQLError | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return undefined;
  const request = (args.contextValue as { request?: Request } | null)?.request;
  const caller = tokenCallerOf(request?.headers.get('authorization') ?? null);
  if (!caller) return undefined;
  const what = operation.name ? `${operation.operation} ${operation.name.value}` : `a ${operation.operation}`;
  const refusal = scopeRefusal(caller, operation.operation, what);
  if (!refusal) return undefined;
  return new GraphQLError(refusal.message, { extensions: { code: refusal.code, details: refusal.details } });
}

/** The runtime plugin: refuses the whole operation, with the scope it lacks, before it is planned. */
export function platformScopePlugin(): GatewayPlugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = operationScopeRefusal(args);
      if (refusal) setResultAndStopExecution({ data: null, errors: [refusal] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = operationScopeRefusal(args);
      if (refusal) setResultAndStopExecution({ data: null, errors: [refusal] });
    },
  };
}
