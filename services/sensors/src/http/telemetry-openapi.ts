import {
  clientCredentialsToken,
  errorBodySchema,
  errorResponse as err,
  jsonContent as json,
  openApiComponents,
  openApiDocument,
  rateLimitedResponse as rateLimited,
  schemaRef as ref,
  type JsonObject,
} from '@firegov/contracts';
import { z } from 'zod';
import { registerDeviceInput } from '../domain/device.ts';
import { DeviceKind, KIND_SPECS, type Measurement } from '../domain/kinds.ts';
import { MAX_READINGS_PER_BATCH, readingShape, telemetryBatchShape, type RefusalCode } from '../domain/readings.ts';
import { sensorsEnv } from '../env.ts';

// The contract of the device gateways' API, for the vendors' integrators. Request schemas are the
// zod schemas the service validates with, and the measurements per kind come from KIND_SPECS, so
// the document cannot drift from what is accepted.

/** The deployment's setting when it sets none: what the document can promise. */
const envDefault = (key: keyof typeof sensorsEnv.schema.shape): number => Number(sensorsEnv.schema.shape[key].parse(undefined));
const MAX_AGE_HOURS = envDefault('READING_MAX_AGE_HOURS');
const MAX_SKEW_SECONDS = envDefault('READING_MAX_SKEW_SECONDS');
const PER_MINUTE = envDefault('INGEST_RATE_LIMIT_PER_MINUTE');
const TOKEN_TTL_S = envDefault('GATEWAY_TOKEN_TTL_S');
const DEVICE_CACHE_S = envDefault('DEVICE_CACHE_TTL_MS') / 1000;
// oauthRouter's default: app.ts passes none.
const TOKEN_ATTEMPTS_PER_MINUTE = 60;

/** Every refusal code with what it means; a Record so a code added in readings.ts fails to compile here. */
const REFUSALS: Readonly<Record<RefusalCode, string>> = {
  INVALID_READING:
    'malformed (shape, `at` without a time zone, a value neither a finite number nor a boolean), or it does not fit the device’s kind: a measurement the kind does not have, the wrong type, outside its range, a `point` the kind does not take or of the wrong form',
  UNKNOWN_DEVICE: 'no device with this id was registered by this gateway (another gateway’s device gets the same answer)',
  RETIRED_DEVICE: 'the device was retired',
  OUT_OF_WINDOW: `\`at\` is older than READING_MAX_AGE_HOURS (default ${MAX_AGE_HOURS} h) or more than READING_MAX_SKEW_SECONDS (default ${MAX_SKEW_SECONDS} s) ahead of the platform’s clock`,
  DUPLICATE_READING: 'the same device, point and `at` appear earlier in this request; the first is kept',
};
const REFUSAL_CODES = Object.keys(REFUSALS) as [RefusalCode, ...RefusalCode[]];

const KINDS = DeviceKind.values;

const range = (m: Measurement): string =>
  m.type === 'boolean' ? 'true / false' : `${m.min ?? '−∞'} to ${m.max ?? '∞'}${m.unit ? ` ${m.unit}` : ''}`;

// A `|` inside a table cell, even in a code span, ends the cell unless escaped (GFM).
const row = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

/** The measurements of every kind as a Markdown table: the human-readable half of the per-kind schemas. */
function measurementTable(): string {
  const rows = KINDS.flatMap((kind) => {
    const spec = KIND_SPECS[kind];
    const point = spec.point ? `${spec.point.label}: \`${spec.point.pattern.source}\`` : 'none (omit `point`)';
    return spec.measurements.map((m, i) =>
      row([i === 0 ? `\`${kind}\`` : '', i === 0 ? point : '', `\`${m.name}\``, m.type, range(m), m.zh]),
    );
  });
  return [
    row(['kind', 'point', 'measurement', 'type', 'range', '名称']),
    row(['---', '---', '---', '---', '---', '---']),
    ...rows,
    '',
    'Units are UCUM symbols (`Cel` is °C).',
  ].join('\n');
}

const pascal = (kind: string): string => kind.replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase());
const kindSchemaName = (kind: DeviceKind): string => `${pascal(kind)}Reading`;

function measurementSchema(m: Measurement): JsonObject {
  if (m.type === 'boolean') return { type: 'boolean', description: m.zh };
  return {
    type: 'number',
    ...(m.min !== undefined ? { minimum: m.min } : {}),
    ...(m.max !== undefined ? { maximum: m.max } : {}),
    description: `${m.zh}${m.unit ? ` (${m.unit})` : ''}`,
    ...(m.unit ? { 'x-unit': m.unit } : {}),
  };
}

/** A reading of one kind: Reading narrowed to the kind's point form and measurements (KIND_SPECS). */
function kindReadingSchema(kind: DeviceKind): JsonObject {
  const spec = KIND_SPECS[kind];
  const label = DeviceKind.labels[kind];
  return {
    description: `A reading of a device registered as \`${kind}\` (${label.zh}; ${label.en}). ${
      spec.point ? `\`point\` is the ${spec.point.label}.` : 'Single point: no `point`.'
    } Any subset of the measurements; none is a heartbeat.`,
    allOf: [ref('Reading')],
    properties: {
      point: spec.point ? { type: 'string', pattern: spec.point.pattern.source } : false,
      values: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(spec.measurements.map((m) => [m.name, measurementSchema(m)])),
      },
    },
  };
}

const detailSchema = z.object({
  path: z.string().meta({ description: 'JSON path of the bad field, e.g. $.readings[3].values.pressureMpa' }),
  reason: z.string(),
});

const refusalSchema = z.object({
  index: z.number().int().min(0).meta({ description: 'Position of the reading in the request’s `readings`' }),
  deviceId: z.string().optional().meta({ description: 'The reading’s deviceId, when it had a usable one' }),
  code: z.enum(REFUSAL_CODES).meta({
    description: REFUSAL_CODES.map((code) => `${code}: ${REFUSALS[code]}`).join('\n\n'),
  }),
  reason: z.string(),
  details: z.array(detailSchema),
});

const ingestResultSchema = z.object({
  accepted: z.number().int().min(0).meta({ description: 'Readings now on the platform’s log, to be evaluated' }),
  refused: z.array(refusalSchema).meta({ description: 'One entry per refused reading, in request order' }),
});

const deviceSchema = z.object({
  _id: z.string().meta({ description: 'The platform’s device id: send it as `deviceId` in readings' }),
  version: z.number().int().min(1),
  serial: z.string(),
  kind: DeviceKind.schema,
  name: z.string(),
  gatewayId: z.string(),
  unitId: z.string().optional(),
  place: z.string().optional(),
  householdId: z.string().optional(),
  uitd: z.object({ address: z.string(), system: z.number().int() }).optional(),
  scope: z.array(z.string()).meta({ description: 'Division codes from the county down to where the device is' }),
  status: z.enum(['active', 'retired']),
  online: z.boolean().meta({ description: 'False until the device’s first reading, and once it misses its heartbeats' }),
  lastSeenAt: z.string().optional().meta({ format: 'date-time' }),
  registeredAt: z.string().meta({ format: 'date-time' }),
  changedAt: z.string().meta({ format: 'date-time' }),
  latest: z
    .record(z.string(), z.object({ at: z.string(), values: z.record(z.string(), z.union([z.number(), z.boolean()])) }))
    .meta({ description: 'Latest values per point (`_` for a single-point device)' }),
});

const DESCRIPTION = [
  'Device gateways (设备网关) — the vendors’ IoT platforms for 独立式烟感, 电气火灾监控, 消火栓/喷淋管网压力,',
  '消防水箱液位, 可燃气体 and 电动自行车充电 monitors, and fire alarm controllers — register their devices and',
  'push their readings here. (Controllers behind a user information transmission device that speaks',
  'GB/T 26875.3 use the service’s TCP adapter instead.)',
  '',
  '**Authentication: OAuth 2.0 client credentials (RFC 6749 §4.4).** The county or township registers the',
  'gateway and hands the vendor a client id and secret (the secret is shown once and stored only as a',
  'scrypt hash). POST /oauth/token with HTTP Basic `client_id:client_secret` and',
  '`grant_type=client_credentials`; send the returned token as `Authorization: Bearer …`. Tokens live',
  `\`expires_in\` seconds (GATEWAY_TOKEN_TTL_S, default ${TOKEN_TTL_S}); fetch a new one when a request answers 401.`,
  `The token endpoint takes ${TOKEN_ATTEMPTS_PER_MINUTE} attempts per minute per client address. A rotated secret keeps`,
  'working through the overlap the county sets (1–720 h); a revoked client’s tokens stop working within 2 s.',
  '',
  '**Devices first.** POST /v1/devices registers a device of this gateway at a unit (optionally a place in',
  'it) or at a vulnerable household, inside the jurisdiction the gateway serves. The answer’s `_id` is the',
  'device id readings use; it is derived from the gateway and the serial, so registering a serial twice',
  'is 409. A device registered just now may still be refused as UNKNOWN_DEVICE for up to',
  `DEVICE_CACHE_TTL_MS (default ${DEVICE_CACHE_S} s) if readings for it were sent before it existed; a retirement takes`,
  'effect within the same time.',
  '',
  `**Readings.** POST /v1/telemetry with 1 to ${MAX_READINGS_PER_BATCH} readings (body at most 1 MB). Each reading is checked on`,
  'its own: the good ones are kept and the refused ones are listed with their index, code, reason and the',
  'JSON path of each bad field. 202 means the accepted readings are on the platform’s log (Kafka,',
  'acknowledged by all in-sync replicas); alarms are raised from them moments later, not in this',
  'answer. If every reading is refused the answer is 422 with the same body; if the batch itself is',
  'malformed it is 400 and nothing is kept. A reading may carry any subset of its kind’s measurements',
  '(the latest value of each is kept per point); `values: {}` is a heartbeat that only keeps the device',
  'online. The measurements of each kind are in the `Reading` schema and the per-kind `…Reading` schemas.',
  '',
  `**Time window.** \`at\` is when the device measured, ISO 8601 with a time zone. Readings older than ${MAX_AGE_HOURS} h`,
  `(READING_MAX_AGE_HOURS) or more than ${MAX_SKEW_SECONDS} s ahead of the platform’s clock (READING_MAX_SKEW_SECONDS)`,
  'are refused as OUT_OF_WINDOW; the deployment may set other values.',
  '',
  '**Duplicates and order; retries are safe.** The same device, point and `at` twice in one request: the',
  'later ones are refused as DUPLICATE_READING. Across requests, a reading at or before the latest one',
  'already applied for its device and point is accepted (and counted) but changes nothing, so resending a',
  'batch after a timeout is harmless. It follows that each point’s readings must be sent oldest first: an',
  'older reading arriving after a newer one is ignored.',
  '',
  `**Rate limit.** ${PER_MINUTE} requests per minute per gateway by default (INGEST_RATE_LIMIT_PER_MINUTE), counted`,
  'across replicas in fixed one-minute windows. Over it the answer is 429 with `Retry-After` (seconds);',
  'answers past authentication carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.',
  '',
  '**Refusal codes** (`refused[].code`):',
  '',
  ...REFUSAL_CODES.map((code) => `- \`${code}\`: ${REFUSALS[code]}.`),
].join('\n');

const READING_DESCRIPTION = [
  'One reading of one device. `values` must fit the kind the device was registered with (the same',
  'limits as the per-kind `…Reading` schemas): a reading that does not is refused with INVALID_READING,',
  'and the rest of the batch is kept.',
  '',
  measurementTable(),
].join('\n');

const oauth = clientCredentialsToken({
  badRequest: 'grant_type is not client_credentials',
  errors: ['invalid_client', 'unsupported_grant_type'],
  responses: { '429': rateLimited('Too many attempts from this address: wait Retry-After seconds') },
});

/** The gateway of the token is the registering gateway: a body's gatewayId is replaced, so it is not required. */
function registrationSchema(generated: JsonObject): JsonObject {
  const properties = generated.properties as Record<string, JsonObject>;
  return {
    ...generated,
    properties: {
      ...properties,
      gatewayId: { ...properties.gatewayId, description: 'May be left out: the gateway of the token is used' },
    },
    required: (generated.required as string[]).filter((k) => k !== 'gatewayId'),
    oneOf: [{ required: ['unitId'] }, { required: ['householdId'] }],
  };
}

/** The batch's readings are checked one by one after its shape: each is a Reading. */
function batchSchema(generated: JsonObject): JsonObject {
  const properties = generated.properties as Record<string, JsonObject>;
  return { ...generated, properties: { ...properties, readings: { ...properties.readings, items: ref('Reading') } } };
}

function schemas(): Record<string, JsonObject> {
  const generated = openApiComponents(
    {
      TelemetryBatch: telemetryBatchShape,
      Reading: readingShape,
      IngestResult: ingestResultSchema,
      DeviceRegistration: registerDeviceInput,
      Device: deviceSchema,
      Error: errorBodySchema,
      ...oauth.schemas,
    },
    {
      Reading: READING_DESCRIPTION,
      DeviceRegistration:
        'Exactly one of unitId (an active unit in the gateway’s jurisdiction, with an optional place) and householdId (a registered household there, no place); uitd only for a fire_alarm_controller reached through a GB/T 26875.3 transmission device.',
    },
  );
  const { TelemetryBatch, Reading, IngestResult, DeviceRegistration, Device, Error, Token, OAuthError } = generated;
  return {
    TelemetryBatch: batchSchema(TelemetryBatch as JsonObject),
    Reading: Reading as JsonObject,
    ...Object.fromEntries(KINDS.map((kind) => [kindSchemaName(kind), kindReadingSchema(kind)])),
    IngestResult: IngestResult as JsonObject,
    DeviceRegistration: registrationSchema(DeviceRegistration as JsonObject),
    Device: Device as JsonObject,
    Token: Token as JsonObject,
    OAuthError: OAuthError as JsonObject,
    Error: Error as JsonObject,
  };
}

const bearer = [{ gatewayToken: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'The device’s `_id`' };
const common = {
  '401': err('No valid bearer token (missing, expired, or its client was revoked)'),
  '429': rateLimited('Over the per-gateway rate limit: wait Retry-After seconds'),
};

/** The OpenAPI 3.1 document of the device gateways' API (served at /v1/openapi.json). */
export function telemetryOpenApi(opts: { serverUrl?: string } = {}): JsonObject {
  return openApiDocument({
    title: 'FireGov device gateway API (物联网设备网关接入)',
    description: DESCRIPTION,
    serverUrl: opts.serverUrl,
    paths: {
      '/oauth/token': oauth.path,
      '/v1/telemetry': {
        post: {
          operationId: 'pushReadings',
          summary: 'A batch of readings, each accepted or refused on its own',
          security: bearer,
          requestBody: { required: true, content: json(ref('TelemetryBatch')) },
          responses: {
            '202': {
              description: 'At least one reading accepted (on the log, not yet evaluated); refused ones are listed',
              content: json(ref('IngestResult')),
            },
            '400': err(
              'The batch itself is malformed (not JSON, not an object, unknown keys, readings not a list of 1–1000): nothing was kept',
            ),
            ...common,
            '413': err('The body is over 1 MB: send smaller batches'),
            '422': { description: 'Every reading was refused: nothing was kept', content: json(ref('IngestResult')) },
          },
        },
      },
      '/v1/devices': {
        post: {
          operationId: 'registerDevice',
          summary: 'Register a device of this gateway',
          security: bearer,
          requestBody: { required: true, content: json(ref('DeviceRegistration')) },
          responses: {
            '201': { description: 'Registered; offline until its first reading', content: json(ref('Device')) },
            '400': err('Invalid, or the unit or household is unknown or outside the gateway’s jurisdiction'),
            ...common,
            '409': err('This gateway already registered the serial'),
          },
        },
      },
      '/v1/devices/{id}/retirement': {
        post: {
          operationId: 'retireDevice',
          summary: 'Take a device of this gateway out of service (its readings are refused from then on)',
          security: bearer,
          parameters: [idParam],
          responses: {
            '200': { description: 'Retired', content: json(ref('Device')) },
            ...common,
            '404': err('No such device of this gateway'),
            '409': err('Already retired, or changed meanwhile'),
          },
        },
      },
      '/v1/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
        },
      },
    },
    components: {
      securitySchemes: {
        ...oauth.securitySchemes,
        gatewayToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'From POST /oauth/token' },
      },
      schemas: schemas(),
    },
  });
}
