import { registerDeviceInput } from '../../src/domain/device.ts';
import { DeviceKind, KIND_SPECS, type DeviceKind as Kind } from '../../src/domain/kinds.ts';
import { checkReading, MAX_READINGS_PER_BATCH, telemetryBatchShape } from '../../src/domain/readings.ts';
import { telemetryOpenApi } from '../../src/http/telemetry-openapi.ts';

// The gateways' document against the validator it describes: what it says is in range, per kind,
// is what checkReading accepts, and what it says is out of range is refused.

type Json = Record<string, unknown>;
const doc = telemetryOpenApi({ serverUrl: 'https://firegov.example.cn' });
const obj = (node: unknown): Json => (typeof node === 'object' && node !== null ? (node as Json) : {});
const at = (node: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((n, k) => obj(n)[k], node);
const schemas = obj(at(doc, 'components', 'schemas'));

function refs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refs);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refs(value)));
}

const NOW = new Date('2026-05-01T08:00:00.000Z');
const ctx = (kind: Kind) => ({
  device: { id: 'dev_1', kind, gatewayId: 'gw_1', status: 'active' as const },
  gatewayId: 'gw_1',
  now: NOW,
  window: { maxAgeMs: 72 * 3_600_000, maxSkewMs: 300_000 },
});
const kindSchema = (kind: Kind): Json =>
  obj(schemas[`${kind.replace(/(?:^|_)([a-z])/g, (_m, c: string) => c.toUpperCase())}Reading`]);
const pointFor = (kind: Kind): string | undefined =>
  KIND_SPECS[kind].point ? (kind === 'fire_alarm_controller' ? '1-23' : '3') : undefined;
const accepts = (kind: Kind, values: Record<string, number | boolean>, point = pointFor(kind)) =>
  'reading' in checkReading({ deviceId: 'dev_1', at: NOW.toISOString(), ...(point ? { point } : {}), values }, 0, ctx(kind));

test('every $ref resolves to a schema of the document', () => {
  const all = refs(doc);
  expect(all.length).toBeGreaterThan(10);
  for (const ref of all) expect(schemas[ref.replace('#/components/schemas/', '')]).toBeDefined();
});

test('documents the routes the service serves, each with an operation id, gateway routes behind the token', () => {
  const ops = Object.entries(obj(doc.paths)).flatMap(([path, item]) =>
    Object.entries(obj(item)).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op: obj(op) })),
  );
  expect(ops.map((o) => o.route)).toEqual([
    'POST /oauth/token',
    'POST /v1/telemetry',
    'POST /v1/devices',
    'POST /v1/devices/{id}/retirement',
    'GET /v1/openapi.json',
  ]);
  for (const { route, op } of ops) {
    expect(op.operationId).toEqual(expect.any(String));
    if (route.includes('/v1/') && !route.endsWith('openapi.json')) {
      expect(op.security).toEqual([{ gatewayToken: [] }]);
      expect(obj(op.responses)).toHaveProperty(['429', 'headers', 'Retry-After']);
    }
  }
  expect(doc.servers).toEqual([{ url: 'https://firegov.example.cn' }]);
});

test.each(DeviceKind.values)('%s: the documented measurements and ranges are what ingest enforces', (kind) => {
  const values = obj(at(kindSchema(kind), 'properties', 'values', 'properties'));
  expect(Object.keys(values)).toEqual(KIND_SPECS[kind].measurements.map((m) => m.name));
  for (const [name, s] of Object.entries(values)) {
    const schema = obj(s);
    if (schema.type === 'boolean') {
      expect(accepts(kind, { [name]: true })).toBe(true);
      expect(accepts(kind, { [name]: 1 })).toBe(false);
      continue;
    }
    const [min, max] = [schema.minimum as number, schema.maximum as number];
    expect(accepts(kind, { [name]: min })).toBe(true);
    expect(accepts(kind, { [name]: max })).toBe(true);
    expect(accepts(kind, { [name]: max + 0.001 })).toBe(false);
    expect(accepts(kind, { [name]: min - 0.001 })).toBe(false);
  }
  expect(accepts(kind, { notAMeasurement: 1 })).toBe(false);
  expect(accepts(kind, {})).toBe(true);
});

test.each(DeviceKind.values)('%s: the documented point form is what ingest enforces', (kind) => {
  const point = at(kindSchema(kind), 'properties', 'point');
  if (point === false) {
    expect(accepts(kind, {}, '1')).toBe(false);
    return;
  }
  const pattern = new RegExp(String(obj(point).pattern));
  const sample = pointFor(kind)!;
  expect(pattern.test(sample)).toBe(true);
  expect(accepts(kind, {}, sample)).toBe(true);
  for (const bad of ['x', '65', '0']) {
    expect(pattern.test(bad)).toBe(false);
    expect(accepts(kind, {}, bad)).toBe(false);
  }
});

test('the batch limit, refusal codes and window defaults are the validator’s', () => {
  expect(at(schemas.TelemetryBatch, 'properties', 'readings', 'maxItems')).toBe(MAX_READINGS_PER_BATCH);
  const many = Array.from({ length: MAX_READINGS_PER_BATCH + 1 }, () => ({}));
  expect(telemetryBatchShape.safeParse({ readings: many }).success).toBe(false);
  expect(at(schemas.IngestResult, 'properties', 'refused', 'items', 'properties', 'code', 'enum')).toEqual([
    'INVALID_READING',
    'UNKNOWN_DEVICE',
    'RETIRED_DEVICE',
    'OUT_OF_WINDOW',
    'DUPLICATE_READING',
  ]);
  const description = String(at(doc, 'info', 'description'));
  expect(description).toContain('older than 72 h');
  expect(description).toContain('more than 300 s ahead');
  expect(description).toContain('1200 requests per minute per gateway');
});

test('a registration needs no gatewayId (the token names it) and exactly one of unit and household', () => {
  const reg = obj(schemas.DeviceRegistration);
  expect(reg.required).toEqual(['serial', 'kind', 'name']);
  expect(reg.oneOf).toEqual([{ required: ['unitId'] }, { required: ['householdId'] }]);
  const base = { serial: 'IMEI0001', kind: 'smoke_detector', name: '厨房烟感', gatewayId: 'gw_1' };
  expect(registerDeviceInput.safeParse(base).success).toBe(false);
  expect(registerDeviceInput.safeParse({ ...base, householdId: 'hh_1' }).success).toBe(true);
  expect(registerDeviceInput.safeParse({ ...base, householdId: 'hh_1', unitId: 'u_1' }).success).toBe(false);
});
