import { AppError, withoutSuggestions, type Logger } from '@firegov/kit';
import { GraphQLError } from 'graphql';

/**
 * What a client may see of an error. GraphQL errors made on purpose (validation, limits, a
 * subgraph's coded error) pass as they are; a platform AppError keeps its code; anything else is
 * an internal fault: logged here, answered as `internal error` with code INTERNAL, never with its
 * message (which may carry connection strings or personal data).
 */
export function createErrorMasker(logger: Logger): (error: unknown, message: string) => Error {
  return (error) => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    const located = error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {};
    if (original instanceof AppError && original.status < 500) {
      return new GraphQLError(original.message, { ...located, extensions: { code: original.code, details: original.details } });
    }
    if (error instanceof GraphQLError && (original === undefined || original instanceof GraphQLError)) {
      // Variable coercion and validation messages may carry "Did you mean …" hints: drop them.
      const message = withoutSuggestions(error.message);
      return message === error.message ? error : new GraphQLError(message, { ...located, extensions: error.extensions });
    }
    logger.error({ err: original ?? error, path: located.path }, 'graphql request failed');
    return new GraphQLError('internal error', { ...located, extensions: { code: 'INTERNAL' } });
  };
}
