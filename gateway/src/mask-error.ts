import { AppError, withoutSuggestions, type Logger } from '@firegov/kit';
import { GraphQLError } from 'graphql';
import { subgraphFailure } from './subgraph-failure.ts';

/** The planner's codes for a subgraph that gave no answer (graphql-tools' HTTP executor and the runtime's timeout). */
function plannerSubgraphFailure(error: GraphQLError): { serviceName: string; timedOut: boolean } | undefined {
  const { code, serviceName } = error.extensions;
  if (typeof serviceName !== 'string') return undefined;
  if (code === 'GATEWAY_TIMEOUT') return { serviceName, timedOut: true };
  if (code === 'SUBREQUEST_HTTP_ERROR') return { serviceName, timedOut: false };
  return undefined;
}

/**
 * What a client may see of an error. GraphQL errors made on purpose (validation, limits, a
 * subgraph's coded error) pass as they are; a subgraph that gave no answer is named, as the
 * forwarding path names it (subgraph-failure.ts); a platform AppError keeps its code; anything else is
 * an internal fault: logged here, answered as `internal error` with code INTERNAL, never with its
 * message (which may carry connection strings or personal data).
 */
export function createErrorMasker(logger: Logger): (error: unknown, message: string) => Error {
  return (error) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
    const failed = error instanceof GraphQLError ? plannerSubgraphFailure(error) : undefined;
    if (failed) {
      // The planner's own error shows the subgraph's address and the request it sent: logged only.
      logger.warn({ err: error, serviceName: failed.serviceName, path: located.path }, 'subgraph gave no answer');
      const { message, extensions } = subgraphFailure(failed.serviceName, failed.timedOut);
      return new GraphQLError(message, { ...located, extensions });
    }
    if (original instanceof AppError && original.status < 500) {
      return new GraphQLError(original.message, { ...located, extensions: { code: original.code, details: original.details } });
    }
    if (error instanceof GraphQLError && (original === undefined || original instanceof GraphQLError)) {
      // Variable coercion and validation messages may carry "Did you mean …" hints: drop them.
      const message = withoutSuggestions(error.message);
      const { request: _request, response: _response, ...extensions } = error.extensions;
      // The planner attaches the subgraph request it sent (`request`, `response`): never shown.
      const unchanged = message === error.message && !('request' in error.extensions) && !('response' in error.extensions);
      return unchanged ? error : new GraphQLError(message, { ...located, extensions });
    }
    logger.error({ err: original ?? error, path: located.path }, 'graphql request failed');
    return new GraphQLError('internal error', { ...located, extensions: { code: 'INTERNAL' } });
  };
}
