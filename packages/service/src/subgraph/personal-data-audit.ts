import { randomUUID } from 'node:crypto';
import { canSeePersonalData, type Identity } from '@firegov/auth';
import { activeTraceId, type Logger } from '@firegov/kit';
import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { fragmentsOf, selectedRootFields } from './root-fields.ts';

// Personal data (个人信息) shown unmasked is recorded, one record per answer: who read it, why
// (the purpose the caller declared), what was asked and which fields were shown. The record is
// sent before the answer leaves; if it cannot be sent the answer is withheld, so no disclosure
// goes unrecorded.

/** The header a caller declares the purpose of a read in (查询事由); the gateway forwards it. */
export const PURPOSE_HEADER = 'x-access-purpose';
const MAX_PURPOSE = 200;

/** One answer's record, in the shape of the personal-data-reads topics (packages/contracts). */
export interface PersonalDataReadRecord {
  readId: string;
  at: string;
  reader: { subject: string; role: string; jurisdiction: string; name?: string; agencyId?: string };
  purpose: string | null;
  operation: {
    type: 'query' | 'mutation' | 'subscription';
    name: string | null;
    rootFields: Array<{ field: string; args: Record<string, unknown> }>;
  };
  revealed: Array<{ field: string; count: number }>;
  traceId: string | null;
}

/** Where the records go: the service publishes them on its own personal-data-reads topic. */
export type PersonalDataAuditSink = (record: PersonalDataReadRecord) => Promise<void>;

const AUDIT = Symbol('personal-data-audit');

const OPERATION_TYPES: Record<OperationTypeNode, { typeName: string; type: PersonalDataReadRecord['operation']['type'] }> = {
  [OperationTypeNode.QUERY]: { typeName: 'Query', type: 'query' },
  [OperationTypeNode.MUTATION]: { typeName: 'Mutation', type: 'mutation' },
  [OperationTypeNode.SUBSCRIPTION]: { typeName: 'Subscription', type: 'subscription' },
};

interface Collector {
  identity: Identity | undefined;
  revealed: Map<string, number>;
}

/**
 * True when the caller may see `field` (`Type.field`) unmasked, and then counts it in the answer's
 * audit record. A context without an audit (a service that was not given one) shows nothing
 * unmasked, so forgetting the wiring fails safe.
 */
export function showPersonalData(ctx: object, identity: Identity, field: string): boolean {
  if (!canSeePersonalData(identity.role)) return false;
  const collector = (ctx as { [AUDIT]?: Collector })[AUDIT];
  if (!collector) return false;
  collector.revealed.set(field, (collector.revealed.get(field) ?? 0) + 1);
  return true;
}

/** The declared purpose: trimmed, at most 200 characters, none when empty. */
export function parsePurpose(raw: string | null): { ok: true; purpose: string | null } | { ok: false; reason: string } {
  const text = raw?.trim() ?? '';
  if (text === '') return { ok: true, purpose: null };
  // Header values arrive as Latin-1 bytes; a purpose in Chinese is sent percent-encoded.
  let purpose: string;
  try {
    purpose = decodeURIComponent(text).trim();
  } catch {
    return { ok: false, reason: 'is not valid percent-encoding' };
  }
  if ([...purpose].length > MAX_PURPOSE) return { ok: false, reason: `must be at most ${MAX_PURPOSE} characters` };
  return { ok: true, purpose: purpose === '' ? null : purpose };
}

function rootFieldsOf(
  document: DocumentNode,
  selections: SelectionSetNode,
  typeName: string,
  variables: Record<string, unknown>,
): Array<{ field: string; args: Record<string, unknown> }> {
  return selectedRootFields(selections, fragmentsOf(document), variables)
    .filter((node) => node.name.value !== '__typename')
    .map((node) => {
      const args: Record<string, unknown> = {};
      for (const a of node.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, variables);
      return { field: `${typeName}.${node.name.value}`, args };
    });
}

/**
 * The subgraph plugin: gives each execution a collector that `showPersonalData` counts into, and
 * when the answer revealed anything, sends its record through `sink` before the answer is returned.
 */
export function personalDataAuditPlugin(opts: {
  sink: PersonalDataAuditSink;
  logger: Logger;
  identityOf: (context: unknown) => Identity | undefined;
  now?: () => Date;
}): Plugin {
  const now = opts.now ?? (() => new Date());
  return {
    onExecute({ args, extendContext, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      const declared = parsePurpose(request?.headers.get(PURPOSE_HEADER) ?? null);
      if (!declared.ok) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`header ${PURPOSE_HEADER} ${declared.reason}`, {
              extensions: { code: 'BAD_USER_INPUT', details: [{ path: PURPOSE_HEADER, reason: declared.reason }] },
            }),
          ],
        });
        return;
      }
      const collector: Collector = { identity: opts.identityOf(args.contextValue), revealed: new Map() };
      extendContext({ [AUDIT]: collector } as never);
      // yoga types the execution arguments loosely; they are graphql-js's.
      const { document, operationName, variableValues } = args as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      const flush = async (result: ExecutionResult, setResult: (r: ExecutionResult) => void) => {
        const identity = collector.identity;
        if (collector.revealed.size === 0 || !identity || !operation) return;
        const { typeName, type } = OPERATION_TYPES[operation.operation];
        const record: PersonalDataReadRecord = {
          readId: randomUUID(),
          at: now().toISOString(),
          reader: {
            subject: identity.subject,
            role: identity.role,
            jurisdiction: identity.jurisdiction,
            ...(identity.name !== undefined ? { name: identity.name } : {}),
            ...(identity.agencyId !== undefined ? { agencyId: identity.agencyId } : {}),
          },
          purpose: declared.purpose,
          operation: {
            type,
            name: operation.name?.value ?? null,
            rootFields: rootFieldsOf(document, operation.selectionSet, typeName, variableValues ?? {}),
          },
          revealed: [...collector.revealed].map(([field, count]) => ({ field, count })),
          traceId: activeTraceId() ?? null,
        };
        collector.revealed.clear();
        try {
          await opts.sink(record);
        } catch (err) {
          opts.logger.error({ err, readId: record.readId }, 'personal data read could not be recorded; answer withheld');
          setResult({
            ...(result.data !== undefined ? { data: null } : {}),
            errors: [
              new GraphQLError('the answer shows personal data and its read could not be recorded; retry shortly', {
                extensions: { code: 'UNAVAILABLE' },
              }),
            ],
          });
        }
      };
      return {
        async onExecuteDone({ result, setResult }) {
          // Subscriptions run through onSubscribe, which gives them no collector: what they push is
          // shown masked. A stream (incremental delivery) is not answered here either.
          if (Symbol.asyncIterator in result) return;
          await flush(result, setResult);
        },
      };
    },
  };
}
