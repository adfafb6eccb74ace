// The files of a new service, in the shape every service keeps (docs/architecture.md, "One shape
// for every service"). Pure: names in, file contents out; `new-service.ts` writes them.

export interface ServiceNames {
  /** The service, lower case: `sensors`. */
  svc: string;
  /** Its first aggregate, lower case singular: `device`. */
  agg: string;
  port: number;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every name the templates use, derived once. */
export function nameSet(n: ServiceNames) {
  return {
    svc: n.svc,
    Svc: cap(n.svc),
    agg: n.agg,
    Agg: cap(n.agg),
    aggs: `${n.agg}s`,
    port: n.port,
    topicConst: `${n.svc}${cap(n.agg)}Topic`,
    topicName: `firegov.${n.svc}.${n.agg}s.v1`,
    event: `${n.svc}.${n.agg}.registered`,
    idPrefix: n.agg.slice(0, 3),
  };
}

type Names = ReturnType<typeof nameSet>;

/** The contracts module declaring the service's first topic (services own their topics). */
export const topicModule = (x: Names) => `import { z } from 'zod';
import { defineTopic } from './define-topic.ts';

// Events of the ${x.svc} service.

export const ${x.agg}SnapshotSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().min(1),
  unitId: z.string().min(1),
  name: z.string().min(1),
  scope: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
export type ${x.Agg}Snapshot = z.infer<typeof ${x.agg}SnapshotSchema>;

export const ${x.topicConst} = defineTopic({
  name: '${x.topicName}',
  owner: '${x.svc}',
  description: '${x.Agg}s of the ${x.svc} service, announced whole on every change.',
  keyedBy: 'unit id',
  events: {
    '${x.event}': ${x.agg}SnapshotSchema,
  },
});
`;

export function serviceFiles(n: ServiceNames, deps: Record<string, string>): Record<string, string> {
  const x = nameSet(n);
  const files: Record<string, string> = {};
  const put = (path: string, text: string) => {
    files[path] = text;
  };

  put(
    'package.json',
    `${JSON.stringify(
      {
        name: `@firegov/${x.svc}`,
        version: '0.1.0',
        private: true,
        type: 'module',
        description: `The ${x.svc} service`,
        dependencies: deps,
      },
      null,
      2,
    )}\n`,
  );

  put(
    'src/env.ts',
    `import { serviceEnv } from '@firegov/service';
import type { z } from 'zod';

// The one env module of the process: the entries every service reads, plus this service's own.
export const ${x.svc}Env = serviceEnv({ name: '${x.svc}', port: ${x.port} }, {});

export type ${x.Svc}Env = z.infer<typeof ${x.svc}Env.schema>;
export type ${x.Svc}ToolEnv = z.infer<typeof ${x.svc}Env.toolSchema>;
`,
  );
  put(
    'src/runtime-env.ts',
    `import { ${x.svc}Env } from './env.ts';

/** The process's parsed environment, read once (instrument.ts needs it before anything else loads). */
export const env = ${x.svc}Env.load();
`,
  );
  put(
    'src/instrument.ts',
    `// Imported first by index.ts so tracing hooks are in place before http and express load.
import { startTelemetry } from '@firegov/kit';
import { env } from './runtime-env.ts';

export const telemetry = startTelemetry({
  serviceName: env.OTEL_SERVICE_NAME ?? '${x.svc}',
  otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
});
`,
  );
  put(
    'src/runtime.ts',
    `import type { Logger } from '@firegov/kit';
import { startServiceRuntime, stopServiceRuntime, type ServiceRuntime, type ServiceStore } from '@firegov/service';
import type { ${x.Svc}ToolEnv } from './env.ts';
import { ${x.svc}Models, outboxCollections, type ${x.Svc}Models } from './store/models.ts';

export type ${x.Svc}Runtime = ServiceRuntime<${x.Svc}Models>;

/** The ${x.svc} store: what the process and its command-line tools open. */
export const ${x.svc}Store: ServiceStore<${x.Svc}Models> = { service: '${x.svc}', models: ${x.svc}Models, outboxCollections };

export const startRuntime = (env: ${x.Svc}ToolEnv, logger: Logger): Promise<${x.Svc}Runtime> =>
  startServiceRuntime({ ...${x.svc}Store, env, logger });

export const stopRuntime = stopServiceRuntime;
`,
  );
  put(
    'src/app.ts',
    `import { registryLookup } from '@firegov/registry';
import { createServiceApp, type ServiceAppDeps } from '@firegov/service';
import type { Express } from 'express';
import { createGraphContext, type Services } from './schema/context.ts';
import { ${x.svc}Policy } from './policy.ts';
import { ${x.svc}SubgraphSchema } from './schema/index.ts';
import { ${x.agg}Service } from './service/${x.agg}.ts';
import type { ${x.Svc}Models } from './store/models.ts';

export type ${x.Svc}AppDeps = ServiceAppDeps<${x.Svc}Models>;

/** Builds the service without listening, so tests can start it on port 0. */
export function create${x.Svc}App(deps: ${x.Svc}AppDeps): { app: Express; services: Services; closeReadiness: () => Promise<void> } {
  const services: Services = {
    ${x.aggs}: ${x.agg}Service({
      models: deps.models,
      registry: registryLookup(deps.models),
      relay: deps.relay,
      now: deps.now ?? (() => new Date()),
    }),
  };
  const { app, close } = createServiceApp({
    ...deps,
    subgraph: {
      schema: ${x.svc}SubgraphSchema(),
      policy: ${x.svc}Policy,
      auth: deps.auth,
      context: (identity) => createGraphContext(services, identity),
    },
  });
  return { app, services, closeReadiness: close };
}
`,
  );
  put(
    'src/index.ts',
    `import { telemetry } from './instrument.ts';
import { tokenVerification } from '@firegov/auth';
import { startRegistryProjection } from '@firegov/registry';
import { runService } from '@firegov/service';
import { create${x.Svc}App } from './app.ts';
import { env } from './runtime-env.ts';
import { ${x.svc}Store } from './runtime.ts';

await runService({
  store: ${x.svc}Store,
  env,
  telemetry,
  build: ({ rt, logger, isAccepting }) => {
    const { app, closeReadiness } = create${x.Svc}App({
      ...rt,
      logger,
      auth: tokenVerification(env, { redis: rt.redis }),
      metricsToken: env.METRICS_TOKEN,
      trustProxy: env.TRUST_PROXY,
      isAccepting,
    });
    const startWorkers = async () => {
      const registry = await startRegistryProjection({
        service: '${x.svc}',
        kafka: rt.kafka,
        publisher: rt.publisher,
        logger,
        models: rt.models,
        topicPrefix: env.KAFKA_TOPIC_PREFIX,
      });
      return [{ name: 'registry projection', stop: () => registry.stop() }];
    };
    return { app, startWorkers, close: closeReadiness };
  },
});
`,
  );
  put(
    `src/domain/${x.agg}.ts`,
    `import { DomainError, idSchema, textField, typeError } from '@firegov/contracts';
import { z } from 'zod';

// Pure rules of the ${x.agg} aggregate: its input, and what a new one looks like. No I/O here.

export const register${x.Agg}Input = z.strictObject(
  {
    unitId: idSchema,
    name: textField(1, 100),
  },
  { error: typeError('an object', { namesUnknownKeys: true }) },
);
export type Register${x.Agg}Input = z.output<typeof register${x.Agg}Input>;

export interface ${x.Agg} {
  _id: string;
  version: number;
  unitId: string;
  name: string;
  /** The unit's jurisdiction codes, county to village (and grid): what scoped reads filter on. */
  scope: string[];
  createdAt: string;
  createdBy: string;
}

/** A new ${x.agg} of a registered, active unit. */
export function new${x.Agg}(
  input: Register${x.Agg}Input,
  unit: { status: string; scope: string[] } | null,
  meta: { id: string; now: Date; actor: string },
): ${x.Agg} {
  if (!unit || unit.status !== 'active') {
    throw new DomainError('VALIDATION_FAILED', 'the unit is not an active registered unit', [
      { path: '$.unitId', reason: 'is not an active unit of the registry' },
    ]);
  }
  return {
    _id: meta.id,
    version: 1,
    unitId: input.unitId,
    name: input.name,
    scope: unit.scope,
    createdAt: meta.now.toISOString(),
    createdBy: meta.actor,
  };
}
`,
  );
  put(
    `src/service/${x.agg}.ts`,
    `import type { Identity } from '@firegov/auth';
import { parseInput } from '@firegov/contracts';
import { newOutbox, type OutboxRelay } from '@firegov/events';
import { collectionOf, forbidden, fromDomain, newId, notFound } from '@firegov/kit';
import type { RegistryLookup } from '@firegov/registry';
import { decodeCursor, pageOf, pageSize, type Page } from '@firegov/service';
import { new${x.Agg}, register${x.Agg}Input, type ${x.Agg} } from '../domain/${x.agg}.ts';
import { ${x.agg}Registered } from '../events/outbound.ts';
import type { ${x.Svc}Models } from '../store/models.ts';

export interface ${x.Agg}Deps {
  models: ${x.Svc}Models;
  registry: RegistryLookup;
  relay: OutboxRelay;
  now: () => Date;
}

/** The only writer of ${x.aggs}: each change and its event land in one write. */
export function ${x.agg}Service(deps: ${x.Agg}Deps) {
  const ${x.aggs} = collectionOf(deps.models.${x.aggs});
  // Scoping uses the record's own scope, never an id the caller sends.
  const visible = (who: Identity, doc: ${x.Agg}) => doc.scope.includes(who.jurisdiction);

  return {
    async register(who: Identity, raw: unknown): Promise<${x.Agg}> {
      const input = fromDomain(() => parseInput(register${x.Agg}Input, raw));
      const unit = await deps.registry.unit(input.unitId);
      if (unit && !unit.scope.includes(who.jurisdiction)) throw forbidden('the unit is outside your jurisdiction');
      const doc = fromDomain(() =>
        new${x.Agg}(input, unit, { id: newId('${x.idPrefix}'), now: deps.now(), actor: who.subject }),
      );
      await ${x.aggs}.insertOne({ ...doc, ...newOutbox([${x.agg}Registered(doc)]) });
      deps.relay.kick(deps.models.${x.aggs}.collection, [doc._id]);
      return doc;
    },

    async byId(who: Identity, id: string): Promise<${x.Agg}> {
      const doc = await ${x.aggs}.findOne({ _id: id }, { projection: { outbox: 0, outboxPending: 0 } });
      // Out of scope reads as absent: a caller learns nothing about records beyond its jurisdiction.
      if (!doc || !visible(who, doc)) throw notFound('${x.agg}');
      return doc;
    },

    /** The caller's ${x.aggs}, oldest first, a page at a time. */
    async list(who: Identity, first?: number | null, after?: string | null): Promise<Page<${x.Agg}>> {
      const limit = pageSize(first);
      const filter = { scope: who.jurisdiction, ...(after ? { _id: { $gt: decodeCursor(after) } } : {}) };
      const docs = await ${x.aggs}
        .find(filter, { projection: { outbox: 0, outboxPending: 0 } })
        .sort({ _id: 1 })
        .limit(limit + 1)
        .toArray();
      return pageOf(docs, limit, () => ${x.aggs}.countDocuments({ scope: who.jurisdiction }));
    },
  };
}

export type ${x.Agg}Service = ReturnType<typeof ${x.agg}Service>;
`,
  );
  put(
    'src/events/outbound.ts',
    `import { ${x.topicConst} } from '@firegov/contracts';
import { outboxEntry, type OutboxEntry } from '@firegov/events';
import type { ${x.Agg} } from '../domain/${x.agg}.ts';

// Every event this service emits, built from snapshots of its documents. Services import their
// builders from here; nothing else builds events.

export const ${x.agg}Registered = (doc: ${x.Agg}): OutboxEntry =>
  outboxEntry(${x.topicConst}, '${x.svc}', {
    type: '${x.event}',
    key: doc.unitId,
    subject: doc._id,
    data: {
      id: doc._id,
      version: doc.version,
      unitId: doc.unitId,
      name: doc.name,
      scope: doc.scope,
      createdAt: doc.createdAt,
    },
  });
`,
  );
  put(
    'src/events/inbound/README.md',
    `Consumers of other services' topics, one file per source (\`<topic>.ts\`). A consumer validates
the event, maps it to ONE call on a service in \`src/service/\`, and nothing else: it writes no
store of its own. De-duplicate with \`applyOnce\` from @firegov/events or the aggregate's version.
The registry view of units comes from @firegov/registry (started in \`src/index.ts\`).
`,
  );
  put(
    'src/store/models.ts',
    `import { outboxSchemaFields, type OutboxFields } from '@firegov/events';
import { registryModels, type RegistryModels } from '@firegov/registry';
import type { Collection, Document } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { ${x.Agg} } from '../domain/${x.agg}.ts';

/** A ${x.agg} as stored: the aggregate plus the outbox that announces its changes. */
export type ${x.Agg}Doc = ${x.Agg} & OutboxFields;

const opts = { versionKey: false, minimize: false } as const;

const ${x.agg}Schema = new Schema<${x.Agg}Doc>(
  {
    _id: String,
    version: Number,
    unitId: String,
    name: String,
    scope: [String],
    createdAt: String,
    createdBy: String,
    ...outboxSchemaFields,
  },
  opts,
);
// Lists are by jurisdiction in _id order; the relay's sweep finds unsent outboxes.
${x.agg}Schema.index({ scope: 1, _id: 1 });
${x.agg}Schema.index({ outboxPending: 1 });

export interface ${x.Svc}Models extends RegistryModels {
  ${x.aggs}: Model<${x.Agg}Doc>;
}

export function ${x.svc}Models(conn: Connection): ${x.Svc}Models {
  return {
    ...registryModels(conn),
    ${x.aggs}: conn.model<${x.Agg}Doc>('${x.Agg}', ${x.agg}Schema, '${x.aggs}'),
  };
}

/** Collections whose documents carry an outbox, for the relay. */
export function outboxCollections(models: ${x.Svc}Models): Array<Collection<Document>> {
  return [models.${x.aggs}.collection];
}
`,
  );
  put(
    'src/schema/refs.ts',
    `import { addSharedTypes, createSubgraphBuilder } from '@firegov/service';
import type { GraphContext } from './context.ts';

// The builder and the types every file of this subgraph shares.
export const builder = createSubgraphBuilder<GraphContext>();
export const { ErrorDetailRef, PageInfoRef } = addSharedTypes(builder);
`,
  );
  put(
    'src/schema/context.ts',
    `import type { Identity } from '@firegov/auth';
import { unauthenticated } from '@firegov/kit';
import type { ${x.Agg}Service } from '../service/${x.agg}.ts';

export interface Services {
  ${x.aggs}: ${x.Agg}Service;
}

export interface GraphContext {
  identity: Identity | undefined;
  services: Services;
}

export const createGraphContext = (services: Services, identity: Identity | undefined): GraphContext => ({ identity, services });

/** The caller; every resolver that touches data needs one. */
export function who(ctx: GraphContext): Identity {
  if (!ctx.identity) throw unauthenticated('a valid bearer token is required');
  return ctx.identity;
}
`,
  );
  put(
    `src/schema/${x.agg}.ts`,
    `import { AppError } from '@firegov/kit';
import { dropNulls } from '@firegov/service';
import type { ${x.Agg} } from '../domain/${x.agg}.ts';
import { who } from './context.ts';
import { builder, PageInfoRef } from './refs.ts';

export const ${x.Agg}Ref = builder.objectRef<${x.Agg}>('${x.Agg}').implement({
  fields: (t) => ({
    id: t.exposeID('_id'),
    unitId: t.exposeID('unitId'),
    name: t.exposeString('name'),
    createdAt: t.exposeString('createdAt'),
  }),
});

const ${x.Agg}PageRef = builder
  .objectRef<{ nodes: ${x.Agg}[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }>(
    '${x.Agg}Page',
  )
  .implement({
    fields: (t) => ({
      nodes: t.field({ type: [${x.Agg}Ref], resolve: (p) => p.nodes }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.endCursor }) }),
      totalCount: t.int({ resolve: (p) => p.totalCount() }),
    }),
  });

const Register${x.Agg}Input = builder.inputType('Register${x.Agg}Input', {
  fields: (t) => ({ unitId: t.id({ required: true }), name: t.string({ required: true }) }),
});

builder.queryFields((t) => ({
  ${x.agg}: t.field({
    type: ${x.Agg}Ref,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => {
      try {
        return await ctx.services.${x.aggs}.byId(who(ctx), String(id));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  }),
  ${x.aggs}: t.field({
    type: ${x.Agg}PageRef,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_r, a, ctx) => ctx.services.${x.aggs}.list(who(ctx), a.first, a.after),
  }),
}));

builder.mutationFields((t) => ({
  register${x.Agg}: t.field({
    type: ${x.Agg}Ref,
    errors: { types: [AppError] },
    args: { input: t.arg({ type: Register${x.Agg}Input, required: true }) },
    resolve: (_r, { input }, ctx) => ctx.services.${x.aggs}.register(who(ctx), dropNulls(input)),
  }),
}));
`,
  );
  put(
    'src/policy.ts',
    `import { definePolicy, rolesExcept, type PolicyEntry } from '@firegov/service';

// Who may call each root field of the ${x.svc} subgraph (docs/architecture.md, "Authorization
// policy"): the people of the county's organisation; the service confines each record to the
// caller's jurisdiction (\`data\`). A field without an entry is refused, and the coverage test
// (scripts/test/policy-coverage.test.ts) names it.

const users: PolicyEntry = { roles: rolesExcept('agency', 'device_gateway', 'learning_platform'), relation: 'data' };

export const ${x.svc}Policy = definePolicy({
  'Query.${x.agg}': users,
  'Query.${x.aggs}': users,
  'Mutation.register${x.Agg}': users,
});
`,
  );
  put(
    'src/schema/index.ts',
    `import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './refs.ts';
import './${x.agg}.ts';

builder.queryType({});
builder.mutationType({});

let cached: GraphQLSchema | undefined;

/** The ${x.svc} subgraph, built once per process. */
export function ${x.svc}SubgraphSchema(): GraphQLSchema {
  cached ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
  return cached;
}

export const ${x.svc}Sdl = (): string => printSubgraphSchema(${x.svc}SubgraphSchema());
`,
  );
  put(
    `test/int/${x.agg}.int.test.ts`,
    `import type { Identity } from '@firegov/auth';
import { ${x.topicConst}, type UnitSnapshot } from '@firegov/contracts';
import { createPublisher, startOutboxRelay, type OutboxRelay, type Publisher } from '@firegov/events';
import { connectRedis, ensureModelIndexes, type Redis, type RunningServer } from '@firegov/kit';
import { upsertUnit } from '@firegov/registry';
import {
  collectTopics,
  deleteTopicsWithPrefix,
  dropAndClose,
  ensureTopics,
  signTestToken,
  startApp,
  testEnv,
  testKafka,
  testLogger,
  testMongo,
  testNamespace,
  testTokenVerification,
  type TopicCollector,
} from '@firegov/testing';
import type { Connection } from 'mongoose';
import { create${x.Svc}App } from '../../src/app.ts';
import { ${x.svc}Models, outboxCollections } from '../../src/store/models.ts';

// The service against the real stack (FerretDB, Redis, Kafka) in a database and topic prefix of its own.

const ns = testNamespace('${x.svc}-${x.agg}');
const kafka = testKafka();
const logger = testLogger();
const township: Identity = { subject: 'u-township', role: 'township_officer', jurisdiction: '500230213000', name: 'township' };
const elsewhere: Identity = { subject: 'u-other', role: 'township_officer', jurisdiction: '500230214000', name: 'other township' };

const unit: UnitSnapshot = {
  id: 'u_${x.svc}_1',
  version: 1,
  name: '青龙乡测试单位',
  category: 'small_venue',
  countyCode: '500230000000',
  townshipCode: '500230213000',
  villageCode: '500230213201',
  address: '青龙乡 1 号',
  buildingUse: 'commercial',
  floors: 2,
  undergroundFloors: 0,
  heightM: 7,
  occupancy: 20,
  keyUnit: false,
  highRise: false,
  selfBuiltTarget: false,
  riskGrade: 'low',
  riskScore: 0,
  status: 'active',
  demo: false,
};

let conn: Connection;
let redis: Redis;
let publisher: Publisher;
let relay: OutboxRelay;
let server: RunningServer;
let events: TopicCollector;
let closeReadiness: () => Promise<void>;

async function gql(query: string, variables: Record<string, unknown>, identity: Identity) {
  const res = await fetch(\`\${server.url}/graphql\`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: \`Bearer \${await signTestToken(identity)}\` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> };
  return body.data ?? {};
}

beforeAll(async () => {
  conn = await testMongo(ns.dbName);
  const models = ${x.svc}Models(conn);
  await ensureModelIndexes(models);
  await upsertUnit(models, unit);
  const topic = \`\${ns.topicPrefix}\${${x.topicConst}.name}\`;
  await ensureTopics(kafka, [topic]);
  events = await collectTopics(kafka, [topic]);
  redis = await connectRedis(testEnv.REDIS_URL);
  publisher = await createPublisher({ kafka, source: '${x.svc}', topicPrefix: ns.topicPrefix });
  relay = startOutboxRelay({ collections: outboxCollections(models), publisher, logger, sweepIntervalMs: 1000 });
  const built = create${x.Svc}App({ conn, models, redis, kafka, relay, logger, auth: await testTokenVerification() });
  closeReadiness = built.closeReadiness;
  server = await startApp(built.app, 0);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await closeReadiness?.();
  await relay?.stop();
  await publisher?.disconnect();
  await events?.stop();
  redis?.disconnect();
  await deleteTopicsWithPrefix(kafka, ns.topicPrefix);
  await dropAndClose(conn);
});

const REGISTER = \`mutation($input: Register${x.Agg}Input!) {
  register${x.Agg}(input: $input) {
    __typename
    ... on MutationRegister${x.Agg}Success { data { id unitId name } }
    ... on MutationError { code details { path reason } }
  }
}\`;

test('/readyz reports the store, Redis and Kafka', async () => {
  const res = await fetch(\`\${server.url}/readyz\`);
  expect(res.status).toBe(200);
});

test('a ${x.agg} of a registered unit is stored, announced on Kafka, and read back in scope only', async () => {
  const out = await gql(REGISTER, { input: { unitId: unit.id, name: '一号' } }, township);
  const created = out.register${x.Agg} as { __typename: string; data: { id: string } };
  expect(created.__typename).toBe('MutationRegister${x.Agg}Success');
  const id = created.data.id;

  const [msg] = await events.waitFor((m) => m.envelope?.type === '${x.event}' && m.envelope.subject === id);
  expect(msg!.key).toBe(unit.id);

  const mine = await gql('query($id: ID!) { ${x.agg}(id: $id) { id name } }', { id }, township);
  expect(mine.${x.agg}).toEqual({ id, name: '一号' });
  const theirs = await gql('query($id: ID!) { ${x.agg}(id: $id) { id } }', { id }, elsewhere);
  expect(theirs.${x.agg}).toBeNull();

  const list = await gql('{ ${x.aggs}(first: 5) { totalCount nodes { id } } }', {}, township);
  expect(list.${x.aggs}).toEqual({ totalCount: 1, nodes: [{ id }] });
});

test('bad input names the field and changes nothing', async () => {
  const out = await gql(REGISTER, { input: { unitId: 'u_unknown', name: '' } }, township);
  expect(out.register${x.Agg}).toEqual({
    __typename: 'MutationError',
    code: 'VALIDATION_FAILED',
    details: [{ path: '$.name', reason: 'must not be empty' }],
  });
  const list = await gql('{ ${x.aggs}(first: 5) { totalCount } }', {}, township);
  expect(list.${x.aggs}).toEqual({ totalCount: 1 });
});
`,
  );
  put(
    'README.md',
    `# ${x.svc} service

<!-- What this service owns and for whom: fill in from docs/architecture.md and the product brief. -->

Generated by \`npm run new-service ${x.svc}\`: it starts in \`npm start\` on port ${x.port}, is part of the
gateway's supergraph, keeps the registry view of units (\`@firegov/registry\`), and announces every
change of its aggregates on Kafka through the outbox.

## Folders

\`\`\`
src/
  index.ts            process wiring (runService)
  env.ts              the one env module (serviceEnv + this service's entries)
  app.ts              builds the services and the HTTP app (health, subgraph)
  domain/${x.agg}.ts      pure rules and inputs of the ${x.agg} aggregate
  service/${x.agg}.ts     the only writer of ${x.aggs}: store + outbox in one write
  store/models.ts     mongoose models and indexes
  events/outbound.ts  every event this service emits
  events/inbound/     consumers of other services' topics (one per source)
  schema/             the GraphQL subgraph (refs.ts, one file per aggregate, index.ts)
test/int/             integration tests against the real stack
\`\`\`

## Environment

| variable | default | meaning |
|---|---|---|
| \`PORT\` | \`${x.port}\` | HTTP port (\`/graphql\`, \`/healthz\`, \`/readyz\`) |
| \`HOST\` | \`127.0.0.1\` | interface to listen on |
| \`AUTH_ISSUER\` | (required) | the identity service's issuer (\`iss\` of users' tokens); \`npm start\`: \`http://127.0.0.1:4006\` |
| \`AUTH_JWKS_URL\` | (required) | the identity service's public keys; callers' ES256 tokens are verified against them (no shared secret) |
| \`AUTH_AUDIENCE\` | \`firegov\` | the audience users' tokens must carry |
| \`AUTH_CLIENT_CUTOFF_PREFIX\` | \`firegov:auth:client-cutoff:\` | Redis keys of revoked clients' and rotated secrets' cutoffs: the identity service writes them, the gateway and every subgraph refuse a platform client's token issued before its cutoff (same Redis, same prefix everywhere) |
| \`GATEWAY_FORWARD_KEYS\` | (required) | keys (comma-separated, newest first, ≥ 32 characters) the gateway proves a forwarded request with; a token limited to trusted documents is served only with that proof. Signs no token; \`npm start\` derives one |
| \`MONGO_URL\` | \`mongodb://127.0.0.1:27017\` | the store |
| \`MONGO_DB\` | \`firegov_${x.svc}\` | the service's database |
| \`REDIS_URL\` | \`redis://127.0.0.1:6379\` | Redis |
| \`REDIS_KEY_PREFIX\` | \`firegov:${x.svc}:\` | prefix of every Redis key the service writes |
| \`KAFKA_BROKERS\` | \`127.0.0.1:9092\` | comma-separated host:port |
| \`KAFKA_CLIENT_ID\` | \`${x.svc}\` | Kafka client id |
| \`KAFKA_TOPIC_PREFIX\` | (empty) | prefix of every topic name (tests, shared clusters) |
| \`OUTBOX_SWEEP_MS\` | \`5000\` | how often the relay looks for unsent outbox entries |
| \`TRUST_PROXY\` | \`false\` | trust X-Forwarded-For from any proxy |
| \`LOG_LEVEL\` | \`info\` | pino level |
| \`NODE_ENV\` | \`development\` | |
| \`SHUTDOWN_TIMEOUT_MS\` | \`15000\` | graceful shutdown limit |
| \`OTEL_EXPORTER_OTLP_ENDPOINT\` | (none) | OTLP/HTTP endpoint for traces |
| \`OTEL_SERVICE_NAME\` | \`${x.svc}\` | service name in traces |
| \`METRICS_TOKEN\` | (none) | when set, \`GET /metrics\` (Prometheus) answers only \`Authorization: Bearer <token>\` |

## Topics

| direction | topic | events |
|---|---|---|
| out | \`${x.topicName}\` | \`${x.event}\` |
| in | \`firegov.entities.units.v1\`, \`firegov.entities.jurisdictions.v1\` | the registry view |

## API

GraphQL: \`${x.agg}(id)\`, \`${x.aggs}(first, after)\` (the caller's jurisdiction), \`register${x.Agg}(input)\`
(typed \`MutationError\` on refusal).
`,
  );
  return files;
}
