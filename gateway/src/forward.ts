import http from 'node:http';
import https from 'node:https';
import type { Logger } from '@firegov/kit';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isNonNullType,
  Kind,
  print,
  visit,
  type ASTNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { singleSubgraphOf, supergraphOwnership } from './single-subgraph.ts';
import { subgraphFailure } from './subgraph-failure.ts';

// An operation one subgraph answers whole goes to that subgraph as the client wrote it, and its
// answer comes back as it is: no query plan, no delegation, no second walk of the answer through
// the stitched schema. Everything in front of execution still runs: the token, the rate limit,
// parsing and validation against the public schema, the limits, trusted documents, scopes, metrics
// and error masking. Operations that span subgraphs go to the planner as before.

export interface ForwardOptions {
  supergraph: string;
  /** Subgraph name → URL (SUBGRAPHS; wins over the URLs recorded at composition, as for the planner). */
  subgraphs: ReadonlyArray<{ name: string; url: string }>;
  /** The client's headers passed on (runtime.ts FORWARDED_HEADERS, the same the planner forwards). */
  headers: readonly string[];
  timeoutMs: number;
  logger: Logger;
}

interface SubgraphAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message?: unknown; path?: unknown; extensions?: unknown }>;
}

/** Where a document goes: a subgraph's name, or null for the planner. Documents come from the parse cache, so this runs once per distinct document. */
function routeCache(opts: ForwardOptions) {
  const ownership = supergraphOwnership(opts.supergraph);
  const byDocument = new WeakMap<DocumentNode, Map<string, string | null>>();
  return (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): string | null => {
    let routes = byDocument.get(document);
    if (!routes) byDocument.set(document, (routes = new Map<string, string | null>()));
    const key = operationName ?? '';
    let route = routes.get(key);
    if (route === undefined) {
      route = singleSubgraphOf(ownership, schema, document, operationName) ?? null;
      routes.set(key, route);
    }
    return route;
  };
}

const printed = new WeakMap<DocumentNode, Map<string, string>>();

/**
 * The text the subgraph gets: the operation and the fragments it uses, nothing else. A document may
 * hold other operations (or fragments) for other subgraphs, which this one would refuse to validate.
 */
function operationText(document: DocumentNode, operation: OperationDefinitionNode): string {
  let byOperation = printed.get(document);
  if (!byOperation) printed.set(document, (byOperation = new Map<string, string>()));
  const key = operation.name?.value ?? '';
  let text = byOperation.get(key);
  if (text === undefined) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const used = new Map<string, FragmentDefinitionNode>();
    const collect = (node: ASTNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !used.has(spread.name.value)) {
            used.set(spread.name.value, fragment);
            collect(fragment);
          }
        },
      });
    collect(operation);
    text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...used.values()] });
    byOperation.set(key, text);
  }
  return text;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** POSTs a GraphQL request; node's http client, so tracing sees it and propagates the trace like the planner's requests. */
function postJson(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SubgraphAnswer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            const parsed = JSON.parse(text) as unknown;
            if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'errors' in parsed)) {
              resolve(parsed as SubgraphAnswer);
              return;
            }
          } catch {
            // reported below
          }
          reject(
            new Error(`subgraph ${url.href} answered HTTP ${res.statusCode} without a GraphQL result: ${text.slice(0, 200)}`),
          );
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A subgraph's error as the planner reports it: message, path and extensions, tagged with the subgraph. */
function subgraphError(e: NonNullable<SubgraphAnswer['errors']>[number], serviceName: string): GraphQLError {
  const path = Array.isArray(e.path) ? (e.path as Array<string | number>) : undefined;
  const extensions = typeof e.extensions === 'object' && e.extensions !== null ? (e.extensions as Record<string, unknown>) : {};
  return new GraphQLError(typeof e.message === 'string' ? e.message : 'subgraph error', {
    ...(path ? { path } : {}),
    extensions: { ...extensions, serviceName },
  });
}

/** What execution is given (graphql-js ExecutionArgs; the runtime's plugin types leave them untyped). */
interface ExecutionArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
  contextValue?: unknown;
}

const HTTP_400 = { http: { status: 400 } };

/**
 * The answer when the subgraph gave none (timeout, refused connection, not GraphQL): as the planner
 * answers, every root field null with an error naming the subgraph, 504 for a timeout and 502
 * otherwise; the cause is logged, never shown (it may name internal hosts).
 */
function unanswered(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode | null | undefined,
  serviceName: string,
  err: unknown,
): ExecutionResult {
  const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
  const { message, extensions } = subgraphFailure(serviceName, timedOut);
  const root = operation ? schema.getRootType(operation.operation)?.getFields() : undefined;
  const fields = (operation?.selectionSet.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [s] : []));
  const keys = [...new Set(fields.map((f) => (f.alias ?? f.name).value))];
  // A non-null root field (or a root fragment) nulls the whole answer.
  const whole =
    keys.length === 0 ||
    fields.length !== operation?.selectionSet.selections.length ||
    fields.some((f) => isNonNullType(root?.[f.name.value]?.type));
  if (whole) return { data: null, errors: [new GraphQLError(message, { extensions })] };
  return {
    data: Object.fromEntries(keys.map((k) => [k, null])),
    errors: keys.map((k) => new GraphQLError(message, { path: [k], extensions })),
  };
}

/** The runtime plugin; place it last, so its executor is the one used. */
export function singleSubgraphForwarding(opts: ForwardOptions): GatewayPlugin {
  const routeOf = routeCache(opts);
  const urls = new Map(opts.subgraphs.map((s) => [s.name, new URL(s.url)]));
  return {
    onExecute({ args: untyped, setExecuteFn }) {
      const args = untyped as ExecutionArgs;
      const name = routeOf(args.schema, args.document, args.operationName);
      const url = name === null ? undefined : urls.get(name);
      if (name === null || !url) return;
      setExecuteFn(async (raw): Promise<ExecutionResult> => {
        const a = raw as ExecutionArgs;
        // The public schema coerces the variables first, as execution would: the same errors, and
        // nothing the public schema hides (inaccessible input fields) reaches the subgraph.
        const operation = getOperationAST(a.document, a.operationName);
        const variables = a.variableValues ?? {};
        const coerced = getVariableValues(a.schema, operation?.variableDefinitions ?? [], variables);
        // 400 as the planner answers them (yoga reads extensions.http and leaves it out of the answer).
        if (coerced.errors)
          return { errors: coerced.errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: HTTP_400 })) };
        const request = (a.contextValue as { request?: Request } | undefined)?.request;
        const headers: Record<string, string> = {};
        for (const h of opts.headers) {
          const v = request?.headers.get(h);
          if (v) headers[h] = v;
        }
        if (!operation) return { errors: [new GraphQLError('no operation to run', { extensions: HTTP_400 })] };
        const body = JSON.stringify({
          query: operationText(a.document, operation),
          variables,
          ...(a.operationName ? { operationName: a.operationName } : {}),
        });
        let answer: SubgraphAnswer;
        try {
          answer = await postJson(url, body, headers, opts.timeoutMs);
        } catch (err) {
          opts.logger.warn({ subgraph: name, err: (err as Error).message }, 'subgraph did not answer a forwarded operation');
          return unanswered(a.schema, operation, name, err);
        }
        return {
          // No data at all: the subgraph refused the request itself (it reports why in errors).
          ...('data' in answer ? { data: answer.data ?? null } : {}),
          ...(answer.errors && answer.errors.length > 0 ? { errors: answer.errors.map((e) => subgraphError(e, name)) } : {}),
        };
      });
    },
  };
}
