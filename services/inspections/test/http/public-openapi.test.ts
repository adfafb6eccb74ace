import { publicReportsOpenApi } from '../../src/http/public-openapi.ts';
import { newTrackingToken, ReportCategory, ReportStatus } from '../../src/domain/reports.ts';

type Json = Record<string, unknown>;

const doc = publicReportsOpenApi({ serverUrl: 'https://firegov.example.cn' });
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** The value at `keys` below `node`, or undefined when any step is missing. */
function at(node: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (current, key) => (typeof current === 'object' && current !== null ? (current as Json)[key] : undefined),
    node,
  );
}

const obj = (node: unknown): Json => (typeof node === 'object' && node !== null ? (node as Json) : {});
const schema = (id: string, ...keys: string[]): unknown => at(doc, 'components', 'schemas', id, ...keys);

/** Every `$ref` value anywhere in `node`, with where it was found. */
function refs(node: unknown, at = '#'): Array<{ at: string; ref: string }> {
  if (Array.isArray(node)) return node.flatMap((child, i) => refs(child, `${at}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [{ at, ref: value }] : refs(value, `${at}/${key}`),
  );
}

/** Resolves a local JSON pointer (RFC 6901) against the document. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  const parts = ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  return at(doc, ...parts);
}

function operations(): Array<{ path: string; method: string; op: Json }> {
  return Object.entries(obj(doc.paths)).flatMap(([path, item]) =>
    Object.entries(obj(item))
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op: obj(op) })),
  );
}

describe('publicReportsOpenApi', () => {
  test('is an OpenAPI 3.1 document with a title, version and description', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: '1.0.0' });
    const description = String(at(doc, 'info', 'description'));
    expect(description).toMatch(/anonymous/i);
    expect(description).toMatch(/Rate limit/);
    expect(description).toContain('Retry-After');
    expect(doc.servers).toEqual([{ url: 'https://firegov.example.cn' }]);
    expect(publicReportsOpenApi({}).servers).toBeUndefined();
  });

  test('serves the three public operations', () => {
    expect(operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`)).toEqual([
      'GET /public/v1/services',
      'POST /public/v1/requests',
      'GET /public/v1/requests/{token}',
    ]);
    expect(new Set(operations().map(({ op }) => op.operationId)).size).toBe(3);
  });

  test('every operation has responses, each with a description', () => {
    for (const { op } of operations()) {
      const responses = Object.entries(obj(op.responses));
      expect(responses.length).toBeGreaterThan(0);
      for (const [code, response] of responses) {
        expect(code).toMatch(/^[1-5]\d\d$/);
        expect(typeof at(response, 'description')).toBe('string');
      }
    }
  });

  test('every $ref resolves within the document', () => {
    const found = refs(doc);
    expect(found.length).toBeGreaterThan(5);
    const broken = found.filter(({ ref }) => resolve(ref) === undefined);
    expect(broken).toEqual([]);
  });

  test('component schemas carry no standalone-schema keys', () => {
    const all = Object.values(obj(at(doc, 'components', 'schemas')));
    expect(all.length).toBe(7);
    for (const component of all) {
      expect(component).not.toHaveProperty('$schema');
      expect(component).not.toHaveProperty('$id');
    }
  });

  test('every path parameter in a template is declared', () => {
    for (const { path, op } of operations()) {
      const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const parameters = Array.isArray(op.parameters) ? (op.parameters as unknown[]) : [];
      const declared = parameters.filter((p) => at(p, 'in') === 'path').map((p) => at(p, 'name'));
      expect(declared).toEqual(inTemplate);
    }
  });

  test('the request body is the report schema: service_code and description required, unknown keys refused', () => {
    const post = at(doc, 'paths', '/public/v1/requests', 'post');
    expect(at(post, 'requestBody', 'content', 'application/json', 'schema')).toEqual({
      $ref: '#/components/schemas/ReportInput',
    });
    expect(schema('ReportInput', 'required')).toEqual(expect.arrayContaining(['service_code', 'description']));
    // Fields with defaults are optional for the client.
    expect(schema('ReportInput', 'required')).not.toContain('anonymous');
    expect(schema('ReportInput', 'required')).not.toContain('whistleblower');
    expect(schema('ReportInput', 'additionalProperties')).toBe(false);
    expect(schema('ReportInput', 'properties', 'service_code', 'enum')).toEqual([...ReportCategory.values]);
    expect(schema('ReportInput', 'properties', 'description')).toMatchObject({ minLength: 10, maxLength: 2000 });
    expect(schema('ReportInput', 'properties', 'media')).toMatchObject({
      maxItems: 5,
      items: { $ref: '#/components/schemas/Evidence' },
    });
    expect(schema('ReportInput', 'description')).toEqual(expect.stringContaining('anonymous'));
  });

  test('answers 201 with the token and status URL, 400 with field details, 429 with Retry-After', () => {
    const responses = at(doc, 'paths', '/public/v1/requests', 'post', 'responses');
    expect(schema('RequestCreated', 'required')).toEqual(['token', 'status', 'status_url']);
    expect(schema('RequestCreated', 'properties', 'status', 'const')).toBe('received');
    const pattern = new RegExp(String(schema('RequestCreated', 'properties', 'token', 'pattern')));
    expect(pattern.test(newTrackingToken((n) => Buffer.alloc(n, 7)).token)).toBe(true);
    expect(at(responses, '400', 'content', 'application/json', 'schema')).toEqual({ $ref: '#/components/schemas/Error' });
    expect(schema('Error', 'properties', 'error', 'properties', 'details', 'items', 'required')).toEqual(['path', 'reason']);
    expect(at(responses, '429', 'headers', 'Retry-After', 'schema')).toMatchObject({ type: 'integer' });
  });

  test('the status answer shows notes only, and a missing token is 404', () => {
    expect(Object.keys(obj(at(doc, 'paths', '/public/v1/requests/{token}', 'get', 'responses')))).toEqual(['200', '404', '429']);
    expect(Object.keys(obj(schema('RequestStatus', 'properties')))).toEqual(['token', 'service_code', 'status', 'notes']);
    expect(Object.keys(obj(schema('StatusNote', 'properties')))).toEqual(['at', 'status', 'note']);
    expect(schema('StatusNote', 'properties', 'status', 'enum')).toEqual([...ReportStatus.values]);
  });

  test('the services list is Open311-shaped', () => {
    expect(schema('Service', 'required')).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type']);
    expect(schema('Service', 'properties', 'metadata', 'const')).toBe(false);
    expect(schema('Service', 'properties', 'type', 'const')).toBe('realtime');
  });

  test('is a fresh object each call', () => {
    const required = at(publicReportsOpenApi({}), 'components', 'schemas', 'ReportInput', 'required') as string[];
    required.push('lat');
    expect(at(publicReportsOpenApi({}), 'components', 'schemas', 'ReportInput', 'required')).not.toContain('lat');
  });
});
