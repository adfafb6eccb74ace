import type { Identity } from '@firegov/auth';
import { AppError, type Logger } from '@firegov/kit';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { wrapErrorIfMatches } from '@pothos/plugin-errors';
import {
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isUnionType,
  OperationTypeNode,
  type ExecutionArgs,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { policyVerdict, type PolicyTable } from './policy.ts';
import { fragmentsOf, selectedRootFields } from './root-fields.ts';

// The fields no policy entry governs: introspection, and the SDL the gateway's composition reads
// without a token (it says nothing a caller could not read in the published supergraph).
const UNGOVERNED = new Set(['__typename', '__schema', '__type', '_service']);

/** The union a mutation's typed refusal is answered in (see builder.ts's MutationError). */
const TYPED_ERROR = 'MutationError';

const identityOf = (context: unknown): Identity | undefined =>
  (context as { identity?: Identity | undefined } | null)?.identity ?? undefined;

const answersTypedErrors = (field: GraphQLField<unknown, unknown>): boolean => {
  const type = getNamedType(field.type);
  return isUnionType(type) && type.getTypes().some((t) => t.name === TYPED_ERROR);
};

const asGraphQLError = (e: AppError, path: string): GraphQLError =>
  new GraphQLError(e.message, { path: [path], extensions: { code: e.code, details: e.details } });

/**
 * The policy gate: before an operation executes, every root field it selects is checked against
 * the service's policy table (policy.ts). A refused query or subscription field stops the whole
 * operation with the typed error, so nothing runs. A refused mutation whose result union includes
 * MutationError answers that typed error in its own field, as the services' own refusals always
 * have (clients branch on `__typename`); the schema's mutation resolvers are wrapped to do so, and
 * the other mutations of the operation run as they would. A field with no entry is refused and
 * logged as an error: the table is incomplete, which the coverage test exists to catch first.
 *
 * `_entities` (federation's entity resolution) is governed like any root field, by the
 * `Query._entities` entry: the gateway reaches it only after the caller passed the gate of the
 * subgraph whose query returned the entity, and the reference resolvers scope what they return.
 */
export function policyGate(opts: { schema: GraphQLSchema; policy: PolicyTable; logger: Logger }): {
  schema: GraphQLSchema;
  plugin: Plugin;
} {
  const { policy, logger } = opts;
  const refuse = (field: string, e: AppError, identity: Identity | undefined) => {
    const who = identity ? { subject: identity.subject, role: identity.role, client: identity.client?.id } : { subject: null };
    if (!policy[field]) logger.error({ field, ...who }, 'root field has no policy entry: refused (add it to the policy table)');
    else logger.info({ field, code: e.code, reason: e.message, ...who }, 'policy gate refused a root field');
  };

  const schema = mapSchema(opts.schema, {
    [MapperKind.MUTATION_ROOT_FIELD]: (config, fieldName) => {
      const type = getNamedType(config.type);
      if (!isUnionType(type) || !type.getTypes().some((t) => t.name === TYPED_ERROR)) return config;
      const original: GraphQLFieldResolver<unknown, unknown> | undefined = config.resolve;
      const key = `Mutation.${fieldName}`;
      return {
        ...config,
        resolve: (source, args: Record<string, unknown>, context, info) => {
          const identity = identityOf(context);
          const verdict = policyVerdict(policy, key, identity, args);
          if (verdict) {
            refuse(key, verdict, identity);
            // As the errors plugin answers an AppError the resolver throws: the union's MutationError.
            return wrapErrorIfMatches(verdict, [AppError]);
          }
          return original ? original(source, args, context, info) : (source as Record<string, unknown> | null)?.[fieldName];
        },
      };
    },
  });

  /** The refusals that stop the operation (the typed ones are answered by the wrapped resolvers). */
  function stoppingRefusals(args: ExecutionArgs): GraphQLError[] {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return [];
    const root: GraphQLObjectType | null | undefined = args.schema.getRootType(operation.operation);
    if (!root) return [];
    const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
    // Variables that do not coerce fail execution before any resolver runs: nothing to gate.
    if (coerced.errors) return [];
    const fragments = fragmentsOf(args.document);
    const identity = identityOf(args.contextValue);
    const errors: GraphQLError[] = [];
    for (const node of selectedRootFields(operation.selectionSet, fragments, coerced.coerced)) {
      const name = node.name.value;
      if (UNGOVERNED.has(name)) continue;
      const key = `${root.name}.${name}`;
      const field = root.getFields()[name];
      // An unknown field fails validation before execution; never reached, kept for safety.
      if (!field) continue;
      if (operation.operation === OperationTypeNode.MUTATION && answersTypedErrors(field)) continue;
      let fieldArgs: Record<string, unknown>;
      try {
        fieldArgs = getArgumentValues(field, node, coerced.coerced);
      } catch {
        // An argument that does not coerce fails in execution, before the resolver runs.
        continue;
      }
      const verdict = policyVerdict(policy, key, identity, fieldArgs);
      if (verdict) {
        refuse(key, verdict, identity);
        errors.push(asGraphQLError(verdict, node.alias?.value ?? name));
      }
    }
    return errors;
  }

  const plugin: Plugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = stoppingRefusals(args);
      if (errors.length > 0) setResultAndStopExecution({ data: null, errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = stoppingRefusals(args);
      if (errors.length > 0) setResultAndStopExecution({ data: null, errors });
    },
  };
  return { schema, plugin };
}
